package io.livepush.loadtest.scenario;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Publisher;
import io.livepush.loadtest.engine.Subscriber;
import io.livepush.loadtest.engine.Tokens;
import io.livepush.loadtest.report.ConsoleTable;
import io.livepush.loadtest.report.ReportWriter;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.stats.ContinuityChecker;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.loadtest.stats.Sampler;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * The fan-out workload: the scenario's users join one room as subscribers (injected by its profile);
 * once all have joined, one publisher publishes timed messages at a fixed rate for the run's duration;
 * then the subscribers get a short grace period to receive the last published seq.
 *
 * <p>The run fails on any hole, duplicate or out-of-order delivery, on any error, or if nothing was
 * published.
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
        Tokens tokens = new Tokens(options.tokenSecret(), options.duration().plus(JOIN_GRACE).plus(Duration.ofMinutes(10)));
        RunStats stats = new RunStats();
        List<String> failures = new ArrayList<>();
        List<Subscriber> subscribers = new ArrayList<>();
        Publisher publisher = null;
        Sampler sampler = null;
        LoadEngine engine = new LoadEngine(options.target(), options.ioThreads());
        try {
            sampler = new Sampler(stats, console, options.sampleEvery(), options.consoleEvery());
            console.printf("%s: %d subscribers -> %s, room %s, %s%n", scenario.name(), scenario.users(), options.target(),
                    options.room(), engine.transport());
            long[] offsets = scenario.startOffsetsNanos();
            for (int i = 0; i < offsets.length; i++) {
                Subscriber s = new Subscriber("lt-sub-" + i, tokens.mint("lt-sub-" + i), options.room(), stats);
                subscribers.add(s);
                engine.group().next().schedule(() -> connect(engine, s, stats), offsets[i], TimeUnit.NANOSECONDS);
            }
            long lastOffset = offsets.length == 0 ? 0 : offsets[offsets.length - 1];
            int joined = await(subscribers.stream().map(Subscriber::ready).toList(),
                    lastOffset + JOIN_GRACE.toNanos());
            if (joined < subscribers.size()) {
                failures.add((subscribers.size() - joined) + " subscriber(s) did not join (first cause: "
                        + firstCause(subscribers.stream().map(Subscriber::ready).toList()) + ")");
            }

            Publisher p = new Publisher("lt-pub", tokens.mint("lt-pub"), options.room(), options.payloadBytes(),
                    MAX_IN_FLIGHT, stats);
            publisher = p;
            engine.connect(() -> p).addListener(f -> {
                if (!f.isSuccess()) {
                    stats.error();
                    p.ready().completeExceptionally(f.cause());
                }
            });
            if (await(List.of(p.ready()), JOIN_GRACE.toNanos()) == 1) {
                long publishStart = System.nanoTime();
                CompletableFuture<Void> done = p.start(options.ratePerSec(), options.duration());
                await(List.of(done), options.duration().plus(DRAIN_GRACE).toNanos());
                drain(subscribers, p.lastAckedSeq());
                console.printf("published for %.1fs%n", (System.nanoTime() - publishStart) / 1e9);
            } else {
                failures.add("publisher did not connect (" + firstCause(List.of(p.ready())) + ")");
            }
        } finally {
            stopQuietly(publisher);
            subscribers.forEach(Subscriber::stop);
            if (sampler != null) {
                sampler.close();
            }
            engine.close();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Summary summary = summarize(startedAt, elapsed, stats, sampler, subscribers, publisher, failures);
        ConsoleTable.print(summary, console);
        if (options.out() != null) {
            ReportWriter.write(summary, options.out());
            console.println("report: " + options.out().resolve(ReportWriter.REPORT_HTML).toAbsolutePath());
        }
        return summary;
    }

    private static void stopQuietly(Publisher p) {
        if (p != null) {
            p.stop();
        }
    }

    private static void connect(LoadEngine engine, Subscriber s, RunStats stats) {
        engine.connect(() -> s).addListener(f -> {
            if (!f.isSuccess()) {
                stats.error();
                s.ready().completeExceptionally(f.cause());
            }
        });
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

    /** Gives subscribers up to {@link #DRAIN_GRACE} to see {@code finalSeq}. */
    private static void drain(List<Subscriber> subscribers, long finalSeq) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_GRACE.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = subscribers.stream().allMatch(s -> s.baseSeq() < 0 || s.lastSeq() >= finalSeq);
            if (all) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private Summary summarize(Instant startedAt, double elapsed, RunStats stats, Sampler sampler,
            List<Subscriber> subscribers, Publisher publisher, List<String> failures) {
        long finalSeq = publisher == null ? 0 : publisher.lastAckedSeq();
        long holes = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long expected = 0;
        int joined = 0;
        // The event loops are shut down: the subscribers' state is safely published by the termination.
        for (Subscriber s : subscribers) {
            long base = s.baseSeq();
            ContinuityChecker c = s.finish(finalSeq);
            if (c == null) {
                continue;
            }
            joined++;
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
        if (holes + duplicates + outOfOrder > 0) {
            failures.add("seq continuity: " + holes + " hole(s), " + duplicates + " duplicate(s), " + outOfOrder
                    + " out of order");
        }
        if (stats.errors() > 0) {
            failures.add(stats.errors() + " error(s)");
        }
        double publishSecs = options.duration().toNanos() / 1e9;
        return new Summary(scenario.name(),
                options.target().getAddress().getHostAddress() + ":" + options.target().getPort(),
                "tcp", startedAt.toString(), failures.isEmpty(), List.copyOf(failures),
                new Summary.Config(scenario.users(), options.ratePerSec(), options.duration().toMillis(),
                        options.payloadBytes(), options.room()),
                new Summary.Counts(joined, published, stats.ackedCount(), stats.deliveries(), expected,
                        round(published / publishSecs), round(stats.deliveries() / publishSecs), stats.errors(),
                        round(elapsed)),
                new Summary.Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                        ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                        round(h.getMean() / 1000.0)),
                new Summary.Continuity(holes, duplicates, outOfOrder),
                sampler.samples());
    }

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
