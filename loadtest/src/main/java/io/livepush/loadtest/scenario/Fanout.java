package io.livepush.loadtest.scenario;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Pacing;
import io.livepush.loadtest.engine.Receiver;
import io.livepush.loadtest.engine.Reception;
import io.livepush.loadtest.engine.Sender;
import io.livepush.loadtest.report.ConsoleTable;
import io.livepush.loadtest.report.ReportWriter;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.stats.ContinuityChecker;
import io.livepush.loadtest.stats.ListeningProcess;
import io.livepush.loadtest.stats.ResourceMeter;
import io.livepush.loadtest.stats.ResourceUse;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.loadtest.stats.Sampler;
import io.livepush.loadtest.targets.Target;
import io.livepush.loadtest.targets.TargetKind;
import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * The fan-out workload, the same on every {@link TargetKind target}: the scenario's users subscribe to one
 * room (topic, channel) as subscribers (injected by its profile), dealt round-robin over the target's
 * nodes when it has several (a cluster); once all have subscribed, one publisher, on the first node,
 * publishes timed messages for the run's duration, at a fixed rate or closed-loop; then the subscribers
 * get a short grace period to receive the last published seq.
 *
 * <p>The run fails on any duplicate or out-of-order delivery, on any error, or if nothing was published;
 * and on any hole for our server, which promises none ({@link TargetKind#lossless()}).
 */
public final class Fanout {
    static final Duration JOIN_GRACE = Duration.ofSeconds(30);
    static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    static final int MAX_IN_FLIGHT = 10_000;

    private final Scenario scenario;
    private final FanoutOptions options;
    private final PrintStream console;

    public Fanout(Scenario scenario, FanoutOptions options, PrintStream console) {
        this.scenario = requireNonNull(scenario, "scenario");
        this.options = requireNonNull(options, "options");
        this.console = requireNonNull(console, "console");
    }

    public Summary run() throws IOException, InterruptedException {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        Target target = options.kind()
                .create(
                        options.room(),
                        options.tokenSecret(),
                        options.duration().plus(JOIN_GRACE).plus(Duration.ofMinutes(10)));
        RunStats stats = new RunStats();
        List<String> failures = new ArrayList<>();
        List<Receiver> subscribers = new ArrayList<>();
        Sender publisher = null;
        Window window = new Window(0, 0, options.duration().toNanos() / 1e9);
        ResourceUse resources = ResourceUse.NONE;
        Sampler sampler = null;
        LoadEngine engine = new LoadEngine(options.nodes(), options.ioThreads(), options.tls());
        try {
            sampler = new Sampler(stats, console, options.sampleEvery(), options.consoleEvery());
            console.printf(
                    Locale.ROOT,
                    "%s: %d subscribers -> %s %s, room %s, %s%n",
                    scenario.name(),
                    scenario.users(),
                    options.kind(),
                    options.nodes().label(),
                    options.room(),
                    engine.transport());
            List<Long> serverPids = serverPids();
            long[] offsets = scenario.startOffsetsNanos();
            for (int i = 0; i < offsets.length; i++) {
                Receiver s = target.subscriber("lt-sub-" + i, stats);
                subscribers.add(s);
                int node = i; // round-robin over the nodes
                engine.group()
                        .next()
                        .schedule(
                                () -> connect(engine, target, node, s, s.ready(), stats),
                                offsets[i],
                                TimeUnit.NANOSECONDS);
            }
            long lastOffset = offsets.length == 0 ? 0 : offsets[offsets.length - 1];
            List<CompletableFuture<Void>> joins =
                    subscribers.stream().map(Receiver::ready).toList();
            int joined = await(joins, lastOffset + JOIN_GRACE.toNanos());
            if (joined < subscribers.size()) {
                failures.add((subscribers.size() - joined) + " subscriber(s) did not join (first cause: "
                        + firstCause(joins) + ")");
            }

            Sender p = target.publisher("lt-pub", options.payloadBytes(), MAX_IN_FLIGHT, stats);
            publisher = p;
            connect(engine, target, 0, p, p.ready(), stats); // the first node
            if (await(List.of(p.ready()), JOIN_GRACE.toNanos()) == 1) {
                List<Reception> receptions =
                        subscribers.stream().map(Receiver::reception).toList();
                long publishStart = System.nanoTime();
                CompletableFuture<Void> done = p.start(
                        options.pacing(),
                        () -> Reception.slowest(receptions),
                        options.warmup().plus(options.duration()));
                Mark measured = warmUp(done, sampler, stats);
                ResourceMeter meter = ResourceMeter.start(serverPids);
                await(List.of(done), options.duration().toNanos());
                // Rates count the measured publishing window only: what is still queued at its end (up
                // to backlog × subscribers in closed loop) drains after it, at no particular rate.
                window = new Window(
                        stats.deliveries() - measured.deliveries(),
                        stats.publishedCount() - measured.published(),
                        (System.nanoTime() - measured.nanos()) / 1e9);
                resources = meter.stop(window.deliveries());
                await(List.of(done), DRAIN_GRACE.toNanos());
                drain(receptions, p.finalSeq());
                console.printf(Locale.ROOT, "published for %.1fs%n", (System.nanoTime() - publishStart) / 1e9);
            } else {
                failures.add("publisher did not connect (" + firstCause(List.of(p.ready())) + ")");
            }
        } finally {
            if (publisher != null) {
                publisher.stop();
            }
            subscribers.forEach(Receiver::stop);
            if (sampler != null) {
                sampler.close();
            }
            engine.close();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Summary summary =
                summarize(startedAt, elapsed, stats, window, resources, sampler, subscribers, publisher, failures);
        ConsoleTable.print(summary, console);
        if (options.out() != null) {
            ReportWriter.write(summary, options.out());
            console.println(
                    "report: " + options.out().resolve(ReportWriter.REPORT_HTML).toAbsolutePath());
        }
        return summary;
    }

    /** {@code --server-pid}, else the processes listening on the nodes' ports; said on the console. */
    private List<Long> serverPids() throws IOException {
        List<Long> pids = options.serverPids();
        if (pids.isEmpty()) {
            List<Integer> ports = options.nodes().addresses().stream()
                    .map(InetSocketAddress::getPort)
                    .toList();
            pids = ListeningProcess.serversOn(ports);
            if (pids.isEmpty()) {
                console.printf(
                        Locale.ROOT,
                        "server process: none found listening on %s (another user's, or this one): "
                                + "its CPU time is not measured (--server-pid)%n",
                        ports);
            }
        }
        if (!pids.isEmpty()) {
            console.printf(Locale.ROOT, "server process: pid %s%n", pids);
        }
        return pids;
    }

    private static void connect(
            LoadEngine engine,
            Target target,
            int node,
            ChannelHandler user,
            CompletableFuture<Void> ready,
            RunStats stats) {
        target.connect(engine, node, user).addListener(f -> {
            if (!f.isSuccess()) {
                stats.error();
                ready.completeExceptionally(f.cause());
            }
        });
    }

    /**
     * Publishes through the warm-up (JIT compilation, pools and buffers growing), then restarts the
     * latency total: returns the counts at the start of the measured window.
     */
    private Mark warmUp(CompletableFuture<Void> done, Sampler sampler, RunStats stats) throws InterruptedException {
        if (!options.warmup().isZero()) {
            await(List.of(done), options.warmup().toNanos());
            sampler.startMeasuring();
            console.printf(
                    Locale.ROOT,
                    "warm-up over after %.1fs: measuring from here%n",
                    options.warmup().toNanos() / 1e9);
        }
        return new Mark(stats.deliveries(), stats.publishedCount(), System.nanoTime());
    }

    /** Waits up to {@code nanos} for the futures; returns how many completed normally. */
    private static int await(List<CompletableFuture<Void>> futures, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        int ok = 0;
        for (CompletableFuture<Void> f : futures) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                ok++;
            } catch (ExecutionException | TimeoutException e) {
                // counted as not ok
            }
        }
        return ok;
    }

    private static String firstCause(List<CompletableFuture<Void>> futures) {
        for (CompletableFuture<Void> f : futures) {
            if (f.isCompletedExceptionally()) {
                try {
                    f.getNow(null);
                } catch (RuntimeException e) {
                    Throwable c = e.getCause() == null ? e : e.getCause();
                    return String.valueOf(c);
                }
            }
        }
        return "timed out";
    }

    /** Gives live subscribers up to {@link #DRAIN_GRACE} to see {@code finalSeq}. */
    private static void drain(List<Reception> receptions, long finalSeq) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_GRACE.toNanos();
        while (System.nanoTime() < deadline) {
            if (receptions.stream().allMatch(r -> !r.live() || r.lastSeq() >= finalSeq)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private Summary summarize(
            Instant startedAt,
            double elapsed,
            RunStats stats,
            Window window,
            ResourceUse resources,
            Sampler sampler,
            List<Receiver> subscribers,
            Sender publisher,
            List<String> failures) {
        long finalSeq = publisher == null ? 0 : publisher.finalSeq();
        long holes = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long expected = 0;
        int joined = 0;
        int[] members = new int[options.nodes().size()];
        // The event loops are shut down: the subscribers' state is safely published by the termination.
        for (int i = 0; i < subscribers.size(); i++) {
            Receiver s = subscribers.get(i);
            long base = s.reception().baseSeq();
            ContinuityChecker c = s.reception().finish(finalSeq);
            if (c == null) {
                continue;
            }
            joined++;
            members[i % members.length]++;
            expected += Math.max(0, finalSeq - base);
            holes += c.holes();
            duplicates += c.duplicates();
            outOfOrder += c.outOfOrder();
        }
        Histogram h = sampler.total();
        long published = stats.publishedCount();
        if (published == 0) {
            failures.add("nothing was published");
        }
        if ((options.kind().lossless() ? holes : 0) + duplicates + outOfOrder > 0) {
            failures.add("seq continuity: " + holes + " hole(s), " + duplicates + " duplicate(s), " + outOfOrder
                    + " out of order");
        }
        if (stats.errors() > 0) {
            failures.add(stats.errors() + " error(s)");
        }
        return new Summary(
                scenario.name(),
                options.nodes().label(),
                ScenarioRun.nodes(options.nodes(), members),
                options.kind().label(),
                startedAt.toString(),
                failures.isEmpty(),
                List.copyOf(failures),
                config(),
                new Summary.Counts(
                        joined,
                        published,
                        stats.ackedCount(),
                        stats.deliveries(),
                        expected,
                        round(window.published() / window.seconds()),
                        round(window.deliveries() / window.seconds()),
                        stats.errors(),
                        round(elapsed)),
                new Summary.Latency(
                        h.getTotalCount(),
                        ms(h.getValueAtPercentile(50)),
                        ms(h.getValueAtPercentile(90)),
                        ms(h.getValueAtPercentile(99)),
                        ms(h.getValueAtPercentile(99.9)),
                        ms(h.getMaxValue()),
                        round(h.getMean() / 1000.0)),
                new Summary.Continuity(holes, duplicates, outOfOrder),
                Map.of(),
                sampler.samples(),
                resources);
    }

    private Summary.Config config() {
        return pacingConfig().withWarmupMs(options.warmup().toMillis());
    }

    private Summary.Config pacingConfig() {
        int users = scenario.users();
        long millis = options.duration().toMillis();
        if (options.pacing() instanceof Pacing.ClosedLoop closed) {
            return new Summary.Config(users, 0, millis, options.payloadBytes(), options.room(), true, closed.backlog());
        }
        return new Summary.Config(
                users, ((Pacing.FixedRate) options.pacing()).perSec(), millis, options.payloadBytes(), options.room());
    }

    /** Deliveries and publishes in the measured publishing time, and that time. */
    private record Window(long deliveries, long published, double seconds) {}

    /** The counts when the measured publishing time started. */
    private record Mark(long deliveries, long published, long nanos) {}

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
