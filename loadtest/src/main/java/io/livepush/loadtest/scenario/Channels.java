package io.livepush.loadtest.scenario;

import static io.livepush.loadtest.dsl.Actions.call;
import static io.livepush.loadtest.dsl.Actions.connect;
import static io.livepush.loadtest.dsl.Actions.history;
import static io.livepush.loadtest.dsl.Actions.publish;
import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static io.livepush.loadtest.scenario.ScenarioRun.left;
import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Session;
import io.livepush.loadtest.engine.FileLimits;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.engine.RangePublisher;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.loadtest.stats.ServerMemory;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The million-channel run: one message to each of N channels ({@code <prefix>0} … , one inbox per user),
 * pipelined over one or a few connections with a bounded number unanswered. Then it waits for the
 * server to let the idle channels go, and checks that it still works: a publish to a brand-new channel
 * is acknowledged and a {@code History} of the first channel is answered. The server's memory is
 * measured before the publishes, right after them and after the idle wait. Any error fails the run;
 * publish errors are also counted by code.
 */
public final class Channels {
    static final Duration CHECK_GRACE = Duration.ofSeconds(30);

    /**
     * @param channels     how many channels get one message each
     * @param prefix       channel names are the prefix and the channel's number
     * @param connections  publishing connections, each with its share of the channels
     * @param inFlight     most publishes unanswered on each connection
     * @param payloadBytes the size of each message
     * @param idleWait     the wait after the publishes, before the last measurement and the checks
     * @param timeout      the longest the publishes may take; the run stops by itself after it
     */
    public record Options(
            int channels,
            String prefix,
            int connections,
            int inFlight,
            int payloadBytes,
            Duration idleWait,
            Duration timeout) {
        public Options {
            requireNonNull(idleWait, "idleWait");
            Args.require(channels > 0, "channels", channels, "> 0");
            Args.channelPrefix("prefix", prefix);
            Args.require(connections > 0 && connections <= channels, "connections", connections, "1 .. channels");
            Args.require(inFlight > 0, "inFlight", inFlight, "> 0");
            Args.require(payloadBytes >= Payloads.MIN_BYTES, "payloadBytes", payloadBytes, ">= " + Payloads.MIN_BYTES);
            Args.require(!idleWait.isNegative(), "idleWait", idleWait, ">= 0");
            Args.positive("timeout", timeout);
        }
    }

    private final Options options;
    private final RunOptions run;
    private final ServerMemory memory;
    private final PrintStream console;

    public Channels(Options options, RunOptions run, ServerMemory memory, PrintStream console) {
        this.options = requireNonNull(options, "options");
        this.run = requireNonNull(run, "run");
        this.memory = requireNonNull(memory, "memory");
        this.console = requireNonNull(console, "console");
        FileLimits.check(options.connections() + 2);
    }

    public Summary run() throws IOException, InterruptedException {
        int n = options.channels();
        String last = options.prefix() + (n - 1);
        Map<String, Double> results = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Duration length = options.timeout().plus(options.idleWait()).plus(CHECK_GRACE);
        try (ScenarioRun r = new ScenarioRun(run, length.plus(Duration.ofMinutes(10)), console)) {
            console.printf(
                    Locale.ROOT,
                    "channels: one message to each of %,d channels %s0 … %s over %d connection(s), %,d in flight "
                            + "each -> %s, %s%s%n",
                    n,
                    options.prefix(),
                    last,
                    options.connections(),
                    options.inFlight(),
                    run.nodes(),
                    r.transport(),
                    memory.measures() ? "" : " (no --server-pid / --metrics-url: server memory not measured)");
            results.put("channels", (double) n);
            ServerMemory.Snapshot before = measure("before the publishes", "Before", results);
            if (publishAll(r, results, failures)) {
                ServerMemory.Snapshot after = measure("right after the publishes", "AfterPublishes", results);
                console.printf(
                        Locale.ROOT,
                        "waiting %s (idle channels may go), then checking the server still works%n",
                        options.idleWait());
                Thread.sleep(options.idleWait().toMillis());
                ServerMemory.Snapshot idle = measure("after the idle wait", "AfterIdle", results);
                if (before != null) {
                    MemoryResults.perUnit(results, before, after, n, "PerChannel");
                    MemoryResults.perUnit(results, before, idle, n, "PerChannelAfterIdle");
                }
                check(r, results, failures);
            }
            return r.finish(
                    "channels",
                    new Summary.Config(
                            0,
                            0,
                            options.timeout().toMillis(),
                            options.payloadBytes(),
                            options.prefix() + "0-" + (n - 1)),
                    results,
                    failures);
        }
    }

    /** The sweep over every channel, the connections sharing them in equal ranges; false if it did not get through. */
    private boolean publishAll(ScenarioRun r, Map<String, Double> results, List<String> failures)
            throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        int n = options.channels();
        int k = options.connections();
        List<RangePublisher> publishers = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            String user = "lt-channels-" + i;
            publishers.add(r.connect(new RangePublisher(
                    user,
                    r.harness().tokens().mint(user),
                    options.prefix(),
                    options.payloadBytes(),
                    options.inFlight(),
                    r.harness().stats())));
        }
        if (!done(r, publishers.stream().map(RangePublisher::ready).toList(), deadline, false)) {
            failures.add("the publishing connection(s) did not come up: " + firstCause(publishers));
            return false;
        }
        long start = System.nanoTime();
        List<CompletableFuture<RangePublisher.Sweep>> sweeps = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            sweeps.add(publishers.get(i).publish((int) ((long) n * i / k), (int) ((long) n * (i + 1) / k)));
        }
        boolean complete = done(r, sweeps, deadline, true);
        double secs = (System.nanoTime() - start) / 1e9;
        publishers.forEach(RangePublisher::stop); // the later figures are then the channels' alone
        if (!complete) {
            failures.add("the publishes did not end within " + options.timeout() + ": "
                    + r.harness().stats().ackedCount() + " of " + n + " acknowledged");
            return false;
        }
        long acked = 0;
        long unanswered = 0;
        Map<String, Long> errors = new LinkedHashMap<>();
        for (CompletableFuture<RangePublisher.Sweep> f : sweeps) {
            RangePublisher.Sweep s = f.join();
            acked += s.acked();
            unanswered += s.unanswered();
            s.errors().forEach((code, count) -> errors.merge(code.name(), count, Long::sum));
        }
        results.put("acked", (double) acked);
        results.put("publishesPerSec", ScenarioRun.round(acked / secs));
        errors.forEach((code, count) -> results.put("errors." + code, (double) count));
        console.printf(
                Locale.ROOT,
                "published to %,d channels in %.1f s: %,.0f/s, %,d acknowledged%s%n",
                n,
                secs,
                acked / secs,
                acked,
                errors.isEmpty() ? "" : ", errors " + errors);
        if (!errors.isEmpty()) {
            failures.add("publish errors by code: " + errors);
        }
        if (unanswered > 0) {
            failures.add(unanswered + " publish(es) unanswered: a publishing connection closed");
        }
        return true;
    }

    /**
     * Waits until every future completed; false at the deadline or once one failed. With {@code progress},
     * prints how far the publishes are every console period.
     */
    private boolean done(ScenarioRun r, List<? extends CompletableFuture<?>> futures, long deadline, boolean progress)
            throws InterruptedException {
        Duration every = run.consoleEvery();
        while (!r.awaitAll(futures, every.compareTo(left(deadline)) < 0 ? every : left(deadline))) {
            if (left(deadline).isZero() || futures.stream().anyMatch(CompletableFuture::isCompletedExceptionally)) {
                return false;
            }
            if (progress) {
                RunStats stats = r.harness().stats();
                console.printf(
                        Locale.ROOT,
                        "published %,d of %,d, acknowledged %,d, errors %d%n",
                        stats.publishedCount(),
                        options.channels(),
                        stats.ackedCount(),
                        stats.errors());
            }
        }
        return true;
    }

    private static String firstCause(List<RangePublisher> publishers) {
        return publishers.stream()
                .map(RangePublisher::ready)
                .filter(CompletableFuture::isCompletedExceptionally)
                .findFirst()
                .map(f -> f.handle((v, e) -> String.valueOf(e)).join())
                .orElse("no answer in time");
    }

    /** A brand-new channel takes a publish, and an old one answers {@code History}: both reported. */
    private void check(ScenarioRun r, Map<String, Double> results, List<String> failures) throws InterruptedException {
        String fresh = options.prefix() + "new-" + System.currentTimeMillis();
        String old = options.prefix() + 0;
        AtomicBoolean historyAnswered = new AtomicBoolean();
        List<Session> checks = new ArrayList<>(r.launch(scenario("channels-new")
                .inject(atOnceUsers(1))
                .exec(connect(), publish(fresh, options.payloadBytes()))));
        checks.addAll(r.launch(scenario("channels-history")
                .inject(atOnceUsers(1))
                .exec(connect(), history(old), call(s -> historyAnswered.set(true)))));
        r.awaitDone(checks, CHECK_GRACE); // finish() reports a check that failed or did not end
        boolean acked = r.harness().lastAcked(fresh) > 0;
        results.put("newChannelPublishAcked", acked ? 1.0 : 0.0);
        results.put("oldChannelHistoryAnswered", historyAnswered.get() ? 1.0 : 0.0);
        console.printf(
                Locale.ROOT,
                "publish to the new channel %s: %s; history of %s: %s%n",
                fresh,
                acked ? "acknowledged" : "NOT acknowledged",
                old,
                historyAnswered.get() ? "answered" : "NOT answered");
        if (!acked) {
            failures.add("the publish to the new channel " + fresh + " was not acknowledged");
        }
        if (!historyAnswered.get()) {
            failures.add("the history of " + old + " was not answered");
        }
    }

    /** The server's memory now, printed and put in the results with {@code suffix}; null if not measured. */
    private ServerMemory.Snapshot measure(String when, String suffix, Map<String, Double> results)
            throws IOException, InterruptedException {
        if (!memory.measures()) {
            return null;
        }
        ServerMemory.Snapshot s = memory.measure();
        MemoryResults.put(results, s, suffix);
        console.printf(Locale.ROOT, "server memory %s: %s%n", when, s.describe());
        return s;
    }
}
