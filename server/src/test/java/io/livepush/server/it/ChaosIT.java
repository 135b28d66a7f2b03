package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.KeyRing;
import io.livepush.server.auth.Operation;
import io.livepush.server.auth.TokenIssuer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's chaos test: under a publishing load, {@code kill -9} the server process five times at
 * random moments ({@link ServerProcess#kill}: SIGKILL of the server's JVM itself) and restart it on
 * the same data directory, on new ports. Publishers send again, with the same idempotency key, what
 * a kill left unanswered. After each restart every acknowledged message is in history under its seq
 * with its payload, seqs have no hole, the epochs are those of the first life, and no publish is
 * stored twice; subscribers that resume with {@code since} get exactly what they lack, recovered. At
 * the end, every publish has been answered and every channel's history is exactly what each
 * subscriber saw.
 *
 * <p>The kill moments and the publishers' choices come from one seed, printed at the start and named
 * in any failure; {@code -Dchaos.seed=N} runs the same schedule again (thread timing still varies).
 */
class ChaosIT {
    private static final String SECRET = "chaos-it-secret-0123456789abcdef0123456";
    private static final String API_KEY = "chaos-it-api-key";
    private static final TokenIssuer TOKENS = new TokenIssuer(KeyRing.of(SECRET, Map.of()), Clock.systemUTC());
    private static final int KILLS = 5;
    private static final List<String> CHANNELS = List.of("chaos.a", "chaos.b", "chaos.c", "chaos.d");
    /** Acks each life takes before the delay to its kill starts: the kill comes under load. */
    private static final int MIN_ACKS_PER_LIFE = 100;
    /** The delay, drawn from the seed, is below this. */
    private static final int MAX_KILL_DELAY_MS = 1500;

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<ServerProcess> processes = new ArrayList<>();
    /** Each channel's epoch as history first showed it. */
    private final Map<String, String> firstEpochs = new HashMap<>();

    @AfterEach
    void stop() {
        threads.shutdownNow();
        processes.forEach(ServerProcess::close);
    }

    @Test
    void acknowledgedMessagesSurviveFiveKillsAndResumesSeeNoHoleAndNoDuplicate() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        System.out.println("ChaosIT seed " + seed + " (run again with -Dchaos.seed=" + seed + ")");
        try {
            killFiveTimesUnderLoad(new Random(seed));
        } catch (AssertionError | Exception e) {
            ServerProcess last = processes.isEmpty() ? null : processes.get(processes.size() - 1);
            throw new AssertionError(
                    "ChaosIT seed " + seed + " (run again with -Dchaos.seed=" + seed + "): " + e
                            + (last == null ? "" : "\nlast server output:\n" + tail(last.output(), 40)),
                    e);
        }
    }

    private void killFiveTimesUnderLoad(Random random) throws Exception {
        List<ChaosPublisher> publishers = IntStream.range(0, 3)
                .mapToObj(i -> new ChaosPublisher("pub" + i, CHANNELS, random.nextLong()))
                .toList();
        List<ChaosSubscriber> subscribers = IntStream.range(0, 2)
                .mapToObj(i -> new ChaosSubscriber("sub" + i, CHANNELS))
                .toList();
        ServerProcess server = start();
        Map<String, Long> lastSeqs = Map.of();
        for (int life = 0; life <= KILLS; life++) {
            long lifeStart = System.nanoTime();
            boolean last = life == KILLS;
            InetSocketAddress tcp = server.tcpAddress();
            CountDownLatch subscribed = new CountDownLatch(subscribers.size());
            List<Future<?>> subscriptions = new ArrayList<>();
            for (ChaosSubscriber s : subscribers) {
                subscriptions.add(submit(() -> s.run(tcp, token(s.user()), subscribed)));
            }
            if (life == 0) {
                await(subscribed, subscriptions); // so that they see every channel from seq 1
            }
            CountDownLatch connected = new CountDownLatch(publishers.size());
            AtomicBoolean publishing = new AtomicBoolean(true);
            BooleanSupplier publishMore = publishing::get;
            List<Future<?>> publishes = new ArrayList<>();
            for (ChaosPublisher p : publishers) {
                Map<String, Long> atStart = lastSeqs;
                publishes.add(submit(() -> p.run(tcp, token(p.user()), connected, publishMore, atStart)));
            }
            List<Future<?>> all = new ArrayList<>(subscriptions);
            all.addAll(publishes);
            await(subscribed, all);
            await(connected, all);
            int acksBefore = acks(publishers);
            pollUntil("acks in life " + life, all, () -> acks(publishers) >= acksBefore + MIN_ACKS_PER_LIFE);
            if (!last) {
                long delayMs = random.nextInt(MAX_KILL_DELAY_MS);
                Thread.sleep(delayMs); // the random moment itself, not a wait for anything
                int acksAtKill = acks(publishers);
                assertThat(server.kill())
                        .as("exit status of kill -9 of life %d", life)
                        .isEqualTo(137);
                long killedAt = System.nanoTime();
                join(all);
                server = start();
                long restartedAt = System.nanoTime();
                lastSeqs = checkHistory(server, publishers, subscribers, false);
                System.out.printf(
                        "ChaosIT life %d: kill -9 after %d ms of load (%d ms past %d acks), %d acks so far;"
                                + " restarted in %d ms, history checked in %d ms%n",
                        life,
                        (killedAt - lifeStart) / 1_000_000,
                        delayMs,
                        MIN_ACKS_PER_LIFE,
                        acksAtKill,
                        (restartedAt - killedAt) / 1_000_000,
                        (System.nanoTime() - restartedAt) / 1_000_000);
            } else {
                publishing.set(false);
                join(publishes);
                Map<String, Long> end = checkHistory(server, publishers, subscribers, false);
                subscribers.forEach(s -> s.stopAt(end));
                join(subscriptions);
                checkHistory(server, publishers, subscribers, true);
                System.out.printf(
                        "ChaosIT: %d acks over %d kills, last seqs %s; %d publishes sent again after a kill,"
                                + " %d of them stored before it%n",
                        acks(publishers),
                        KILLS,
                        end,
                        publishers.stream().mapToInt(ChaosPublisher::retried).sum(),
                        publishers.stream()
                                .mapToInt(ChaosPublisher::retriedAndStoredBefore)
                                .sum());
            }
        }
    }

    /**
     * Reads every channel's whole history and checks it against what publishers and subscribers got;
     * with {@code complete}, also that every publish was answered and each subscriber saw all of it.
     * Returns each channel's last seq.
     */
    private Map<String, Long> checkHistory(
            ServerProcess server, List<ChaosPublisher> publishers, List<ChaosSubscriber> subscribers, boolean complete)
            throws Exception {
        Map<String, List<String>> histories = new HashMap<>();
        Map<String, String> epochs = new HashMap<>();
        try (TestClient reader = TestClient.open(server.tcpAddress())) {
            reader.connect(token("checker"));
            for (String ch : CHANNELS) {
                histories.put(ch, readAll(reader, ch, epochs));
            }
        }
        for (ChaosPublisher p : publishers) {
            for (ChaosPublisher.Acked a : p.acked()) {
                List<String> history = histories.get(a.channel());
                assertThat(a.epoch())
                        .as("epoch of %s's history, holding acked %s", a.channel(), a)
                        .isEqualTo(epochs.get(a.channel()));
                assertThat(a.seq())
                        .as("last seq of %s, holding acked %s", a.channel(), a)
                        .isLessThanOrEqualTo(history.size());
                assertThat(history.get((int) a.seq() - 1))
                        .as("payload at seq %d of %s", a.seq(), a.channel())
                        .isEqualTo(a.payload());
            }
            if (complete) {
                assertThat(p.unanswered())
                        .as("publishes of %s never answered", p.user())
                        .isEmpty();
            }
        }
        for (ChaosSubscriber s : subscribers) {
            for (String ch : CHANNELS) {
                if (complete) {
                    assertThat(s.seen(ch))
                            .as("everything %s saw of %s", s.user(), ch)
                            .isEqualTo(histories.get(ch));
                } else {
                    assertThat(histories.get(ch))
                            .as("%s's history against what %s saw", ch, s.user())
                            .startsWith(s.seen(ch).toArray(String[]::new));
                }
            }
        }
        Map<String, Long> lastSeqs = new HashMap<>();
        histories.forEach((ch, history) -> lastSeqs.put(ch, (long) history.size()));
        return lastSeqs;
    }

    /**
     * The payloads of {@code channel}'s whole history, seq 1 first, checked for holes and for a payload
     * stored twice; puts the channel's epoch in {@code epochs}.
     */
    private List<String> readAll(TestClient reader, String channel, Map<String, String> epochs) {
        List<String> payloads = new ArrayList<>();
        Map<String, Long> seqOf = new HashMap<>();
        long lastSeq;
        boolean more;
        do {
            HistoryResult page = history(reader, channel, payloads.size());
            assertThat(page.getFirstSeq())
                    .as("first seq of %s: nothing was trimmed", channel)
                    .isLessThanOrEqualTo(1);
            assertThat(page.getTruncated())
                    .as("%s's history truncated", channel)
                    .isFalse();
            assertThat(firstEpochs.computeIfAbsent(channel, ch -> page.getEpoch()))
                    .as("epoch of %s, as in its first life", channel)
                    .isEqualTo(page.getEpoch());
            epochs.put(channel, page.getEpoch());
            lastSeq = page.getLastSeq();
            more = page.getMessagesCount() > 0; // else a hole at the end, named below
            for (Message m : page.getMessagesList()) {
                assertThat(m.getSeq())
                        .as("seq after %d in %s's history (no hole)", payloads.size(), channel)
                        .isEqualTo(payloads.size() + 1L);
                String payload = m.getPayload().toStringUtf8();
                Long earlier = seqOf.putIfAbsent(payload, m.getSeq());
                assertThat(earlier)
                        .as("%s stored twice in %s: at seq %d and %d", payload, channel, earlier, m.getSeq())
                        .isNull();
                payloads.add(payload);
            }
        } while (more && payloads.size() < lastSeq);
        assertThat((long) payloads.size())
                .as("messages in %s's history", channel)
                .isEqualTo(lastSeq);
        return payloads;
    }

    private static HistoryResult history(TestClient reader, String channel, long sinceSeq) {
        ServerFrame f = reader.request(ClientFrame.newBuilder()
                .setHistory(History.newBuilder().setChannel(channel).setSinceSeq(sinceSeq)));
        assertThat(f.hasHistory())
                .withFailMessage("history of %s since %d: %s", channel, sinceSeq, f)
                .isTrue();
        return f.getHistory();
    }

    private ServerProcess start() throws Exception {
        ServerProcess p = ServerProcess.start(ServerProcess.onFreePortsWithSmallStores(
                dataDir.toString(),
                "--token-secret",
                SECRET,
                "--api-key",
                API_KEY,
                // Nothing trimmed, and files sized for the test: recovering a large file slows every restart.
                "--retention-max-messages",
                "1000000",
                "--store-max-messages",
                "200000"));
        processes.add(p);
        return p;
    }

    private static String token(String user) {
        return TOKENS.issue(
                user, Duration.ofHours(1), List.of(new Capability(List.of("chaos.*"), EnumSet.allOf(Operation.class))));
    }

    private static int acks(List<ChaosPublisher> publishers) {
        return publishers.stream().mapToInt(ChaosPublisher::ackCount).sum();
    }

    /** A client run, on its own thread; its failure comes out of the future. */
    private Future<?> submit(ClientRun run) {
        return threads.submit(() -> {
            run.run();
            return null;
        });
    }

    @FunctionalInterface
    private interface ClientRun {
        void run() throws Exception;
    }

    /** Waits for {@code latch}, failing at once with the error of any run that ended before it. */
    private static void await(CountDownLatch latch, List<Future<?>> runs) throws Exception {
        pollUntil("latch", runs, () -> latch.getCount() == 0);
    }

    private static void pollUntil(String what, List<Future<?>> runs, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            for (Future<?> run : runs) {
                if (run.isDone()) {
                    run.get(); // throws its failure; one that ended cleanly this early is a failure too
                    throw new AssertionError("a client run ended while waiting for " + what);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + DEADLINE);
            }
            Thread.sleep(10);
        }
    }

    private static void join(List<Future<?>> runs) throws Exception {
        for (Future<?> run : runs) {
            try {
                run.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            } catch (TimeoutException e) {
                throw new AssertionError("a client run still going after " + DEADLINE, e);
            }
        }
    }

    private static String tail(String output, int lines) {
        String[] all = output.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
