package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.ServerFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One publishing user of {@link ChaosIT}, across server lives: pipelines publishes with idempotency
 * keys, {@link #WINDOW} unanswered at a time, each payload unique; keeps every ack; and on the next
 * connection sends again, with the same key, each publish whose answer a kill swallowed, as the Java
 * client does (PROTOCOL.md semantics 8).
 */
final class ChaosPublisher {
    static final int WINDOW = 8;
    private static final Duration POLL = Duration.ofMillis(50);

    /** A publish as sent; its idempotency key is derived from the payload, unique per test run. */
    record Sent(String channel, String payload) {
        String key() {
            return "key:" + payload;
        }
    }

    /** A publish whose {@link PublishAck} came back. */
    record Acked(String channel, String epoch, long seq, String payload) {}

    private final String user;
    private final List<String> channels;
    private final Random random;
    /** Sent and not answered (in a previous life of the server, or this one), by key, in send order. */
    private final Map<String, Sent> unanswered = new LinkedHashMap<>();

    private final List<Acked> acked = new ArrayList<>();
    private final AtomicInteger ackCount = new AtomicInteger();
    private int published;
    private int retried;
    private int retriedAndStoredBefore;

    ChaosPublisher(String user, List<String> channels, long seed) {
        this.user = user;
        this.channels = channels;
        this.random = new Random(seed);
    }

    String user() {
        return user;
    }

    /** Acks so far; any thread. */
    int ackCount() {
        return ackCount.get();
    }

    /** Every ack received; read only once no {@link #run} is going. */
    List<Acked> acked() {
        return acked;
    }

    /** Publishes sent again after a kill; read only once no {@link #run} is going. */
    int retried() {
        return retried;
    }

    /**
     * Of those, the ones the killed server had stored (their answer holds a seq it had): each is a
     * retry answered from its stored key. Read only once no {@link #run} is going.
     */
    int retriedAndStoredBefore() {
        return retriedAndStoredBefore;
    }

    /** Publishes sent whose answer never came; read only once no {@link #run} is going. */
    Map<String, Sent> unanswered() {
        return unanswered;
    }

    /**
     * One connection: sends the unanswered publishes again, then new ones while {@code publishMore};
     * returns when the server closed the connection (after taking every frame it sent) or when
     * nothing is left to send or to wait for. {@code lastSeqs}: each channel's last seq as this server
     * started.
     */
    void run(
            InetSocketAddress server,
            String token,
            CountDownLatch connected,
            BooleanSupplier publishMore,
            Map<String, Long> lastSeqs)
            throws IOException, InterruptedException {
        try (TestClient c = TestClient.open(server)) {
            c.connect(token);
            connected.countDown();
            Map<Integer, Sent> inFlight = new HashMap<>();
            boolean writable = true;
            Set<String> retries = new HashSet<>(); // payloads
            unanswered.values().forEach(retry -> retries.add(retry.payload()));
            for (Sent retry : unanswered.values()) {
                writable = writable && send(c, retry, inFlight);
            }
            retried += retries.size();
            while (true) {
                while (writable && !c.isClosedByServer() && inFlight.size() < WINDOW && publishMore.getAsBoolean()) {
                    Sent s = new Sent(channels.get(random.nextInt(channels.size())), user + "#" + ++published);
                    unanswered.put(s.key(), s);
                    writable = send(c, s, inFlight);
                }
                if (inFlight.isEmpty() && (!writable || !publishMore.getAsBoolean())) {
                    return;
                }
                ServerFrame f = c.poll(POLL);
                if (f == null && c.isClosedByServer()) {
                    f = c.poll(Duration.ZERO); // the reader queues every frame before it flags the close
                    if (f == null) {
                        return;
                    }
                }
                if (f != null) {
                    Acked a = answered(f, inFlight);
                    if (retries.contains(a.payload()) && a.seq() <= lastSeqs.getOrDefault(a.channel(), 0L)) {
                        retriedAndStoredBefore++;
                    }
                }
            }
        }
    }

    /** False once the connection is gone (the server was killed): the rest waits for the next one. */
    private static boolean send(TestClient c, Sent s, Map<Integer, Sent> inFlight) {
        try {
            inFlight.put(
                    c.send(ClientFrame.newBuilder()
                            .setPublish(Publish.newBuilder()
                                    .setChannel(s.channel())
                                    .setKind("chaos")
                                    .setPayload(ByteString.copyFromUtf8(s.payload()))
                                    .setIdempotencyKey(s.key()))),
                    s);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private Acked answered(ServerFrame f, Map<Integer, Sent> inFlight) {
        Sent s = inFlight.remove(f.getReplyTo());
        assertThat(s)
                .as("%s got an answer to no publish of its own: %s", user, f)
                .isNotNull();
        assertThat(f.hasPublished())
                .withFailMessage("%s: answer to %s: %s", user, s, f)
                .isTrue();
        PublishAck ack = f.getPublished();
        assertThat(ack.getChannel()).as("ack of %s", s).isEqualTo(s.channel());
        unanswered.remove(s.key());
        Acked a = new Acked(s.channel(), ack.getEpoch(), ack.getSeq(), s.payload());
        acked.add(a);
        ackCount.incrementAndGet();
        return a;
    }
}
