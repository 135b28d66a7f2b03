package io.livepush.loadtest.stats;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Takes a timeline sample every {@code interval} on its own thread (never on an event loop: it prints),
 * folds every interval histogram into the run's total, and prints a console line every
 * {@code consoleEvery} (Gatling-style live stats).
 */
public final class Sampler implements AutoCloseable {
    private final RunStats stats;
    private final PrintStream console;
    private final long consoleEveryNanos;
    private final long periodNanos;
    private final ScheduledExecutorService timer;
    private final Histogram total = new Histogram(3);
    private final Histogram window = new Histogram(3);
    private final List<Sample> samples = new ArrayList<>();
    private final long startNanos;
    private Histogram recycled;
    private boolean closed;
    private long lastNanos;
    private long lastDeliveries;
    private long lastPublished;
    private long windowStartNanos;
    private long windowDeliveries;

    public Sampler(RunStats stats, PrintStream console, Duration interval, Duration consoleEvery) {
        this.stats = requireNonNull(stats, "stats");
        this.console = requireNonNull(console, "console");
        this.consoleEveryNanos = consoleEvery.toNanos();
        this.startNanos = System.nanoTime();
        this.lastNanos = startNanos;
        this.windowStartNanos = startNanos;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadtest-sampler");
            t.setDaemon(true);
            return t;
        });
        this.periodNanos = interval.toNanos();
        timer.scheduleAtFixedRate(this::sample, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    private synchronized void sample() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        Histogram interval = stats.latencyRecorder().getIntervalHistogram(recycled);
        total.add(interval);
        window.add(interval);
        long deliveries = stats.deliveries();
        long published = stats.publishedCount();
        double secs = Math.max(1e-9, (now - lastNanos) / 1e9);
        samples.add(new Sample(
                round((now - startNanos) / 1e9),
                round((deliveries - lastDeliveries) / secs),
                round((published - lastPublished) / secs),
                ms(interval.getValueAtPercentile(50)),
                ms(interval.getValueAtPercentile(99)),
                ms(interval.getMaxValue()),
                stats.activeConnections(),
                stats.errors(),
                stats.seqAnomalies()));
        recycled = interval;
        lastNanos = now;
        lastDeliveries = deliveries;
        lastPublished = published;
        // Half a period of slack: samples come a hair early or late, the console line should not slip a period.
        if (now - windowStartNanos >= consoleEveryNanos - periodNanos / 2) {
            double windowSecs = (now - windowStartNanos) / 1e9;
            console.printf(
                    Locale.ROOT,
                    "[%6.1fs] deliveries/s %,10.0f | latency ms p50 %7.2f p99 %7.2f max %8.2f | active %,6d | errors %d | seq anomalies %d%n",
                    (now - startNanos) / 1e9,
                    (deliveries - windowDeliveries) / windowSecs,
                    ms(window.getValueAtPercentile(50)),
                    ms(window.getValueAtPercentile(99)),
                    ms(window.getMaxValue()),
                    stats.activeConnections(),
                    stats.errors(),
                    stats.seqAnomalies());
            window.reset();
            windowStartNanos = now;
            windowDeliveries = deliveries;
        }
    }

    /** The warm-up is over: the total starts again from here (the timeline keeps the warm-up). */
    public synchronized void startMeasuring() {
        sample();
        total.reset();
    }

    /** Stops sampling after one last sample. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        sample();
        closed = true;
    }

    /** The latency histogram (microseconds) of the whole run, or from {@link #startMeasuring()} on. */
    public synchronized Histogram total() {
        return total.copy();
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    static double ms(long micros) {
        return round(micros / 1000.0);
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
