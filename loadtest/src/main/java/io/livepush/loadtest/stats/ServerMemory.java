package io.livepush.loadtest.stats;

import io.livepush.loadtest.engine.Loopback;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Measures a server process on this machine: with its pid, the live heap from
 * {@code jcmd <pid> GC.class_histogram} (a full GC, then the bytes of every object still reachable:
 * exact, where the heap pools' usage after a GC moves by megabytes with whatever the server
 * allocated since) and its resident set from {@code /proc/<pid>/status} once the GC has given memory
 * back; from its Prometheus {@code /metrics}, direct-buffer and Netty allocator memory (and the heap,
 * when there is no pid). Either source may be absent; its figures are then -1. Blocking: call from
 * the driver thread, never from an event loop.
 *
 * <p>A cluster's nodes are measured one after the other, each from its own pid and {@code /metrics}
 * (paired in node order): a {@link Snapshot} is then their sum, with each node's own in
 * {@link Snapshot#nodes()}.
 */
public final class ServerMemory {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** G1 gives heap back to the OS after a full GC concurrently: RSS is read once it stops falling. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private static final long RSS_POLL_MS = 250;
    /**
     * The live heap is read again after this long while it falls: a server lets go of a closed
     * connection at its next deadline sweep (at most a second), so right after clients leave part of
     * them is still reachable.
     */
    private static final long HEAP_POLL_MS = 1_200;

    /**
     * Bytes, -1 where unknown; for a cluster, the sum over its nodes (-1 where a node's is unknown) and each
     * node's own in {@code nodes}, empty for a single server.
     */
    public record Snapshot(
            long heapBytes, long directBytes, long nettyDirectBytes, long rssBytes, List<Snapshot> nodes) {
        private record Figure(String name, String label, long bytes) {}

        public Snapshot {
            nodes = List.copyOf(nodes);
        }

        /** A single server's. */
        public Snapshot(long heapBytes, long directBytes, long nettyDirectBytes, long rssBytes) {
            this(heapBytes, directBytes, nettyDirectBytes, rssBytes, List.of());
        }

        /** The figures of several nodes added up, each known only where every node's is; the nodes kept. */
        static Snapshot sum(List<Snapshot> nodes) {
            return new Snapshot(
                    sum(nodes, Snapshot::heapBytes),
                    sum(nodes, Snapshot::directBytes),
                    sum(nodes, Snapshot::nettyDirectBytes),
                    sum(nodes, Snapshot::rssBytes),
                    nodes);
        }

        private static long sum(List<Snapshot> nodes, ToLongFunction<Snapshot> figure) {
            long total = 0;
            for (Snapshot n : nodes) {
                long v = figure.applyAsLong(n);
                if (v < 0) {
                    return -1;
                }
                total += v;
            }
            return total;
        }

        private List<Figure> known() {
            return Stream.of(
                            new Figure("serverHeapBytes", "heap", heapBytes),
                            new Figure("serverDirectBytes", "direct", directBytes),
                            new Figure("serverNettyDirectBytes", "netty direct", nettyDirectBytes),
                            new Figure("serverRssBytes", "RSS", rssBytes))
                    .filter(f -> f.bytes >= 0)
                    .toList();
        }

        /** The known figures by their name in a summary's results ({@code serverHeapBytes} …), in this order. */
        public Map<String, Long> figures() {
            Map<String, Long> figures = new LinkedHashMap<>();
            known().forEach(f -> figures.put(f.name, f.bytes));
            return figures;
        }

        /**
         * For the console: {@code heap 41.2 MiB, direct 16.0 MiB, …}, the known figures only; for a cluster, the
         * sum, then each node's in brackets.
         */
        public String describe() {
            List<Figure> known = known();
            String total = known.isEmpty()
                    ? "not measured"
                    : known.stream()
                            .map(f -> String.format(Locale.ROOT, "%s %.1f MiB", f.label, f.bytes / (1024.0 * 1024.0)))
                            .collect(Collectors.joining(", "));
            if (nodes.isEmpty()) {
                return total;
            }
            StringBuilder b = new StringBuilder(total)
                    .append(" over ")
                    .append(nodes.size())
                    .append(" nodes [");
            for (int i = 0; i < nodes.size(); i++) {
                b.append(i == 0 ? "" : "; ").append("node ").append(i + 1).append(": ");
                b.append(nodes.get(i).describe());
            }
            return b.append(']').toString();
        }
    }

    private final List<Long> pids;
    private final List<URI> metricsUrls;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param pid        the server's process id, or 0 for none
     * @param metricsUrl the server's {@code /metrics} (loopback only), or null for none
     */
    public ServerMemory(long pid, URI metricsUrl) {
        this(pid == 0 ? List.of() : List.of(pid), metricsUrl == null ? List.of() : List.of(metricsUrl));
    }

    /**
     * @param pids        the process id of every node of the server, in node order; empty for none
     * @param metricsUrls the {@code /metrics} of every node (loopback only), in the same order; empty for none
     */
    public ServerMemory(List<Long> pids, List<URI> metricsUrls) {
        this.pids = List.copyOf(pids);
        this.metricsUrls = List.copyOf(metricsUrls);
        for (long pid : this.pids) {
            if (pid <= 0) {
                throw new IllegalArgumentException("pid: " + pid + " (expected: > 0, or 0 for none)");
            }
        }
        if (!this.pids.isEmpty() && !this.metricsUrls.isEmpty() && this.pids.size() != this.metricsUrls.size()) {
            throw new IllegalArgumentException("pids: " + this.pids + " and metrics URLs: " + this.metricsUrls
                    + " (expected: as many of each, one per node)");
        }
        this.metricsUrls.forEach(url -> Loopback.resolve(url.getHost()));
    }

    public boolean measures() {
        return !pids.isEmpty() || !metricsUrls.isEmpty();
    }

    /** How many nodes are measured (0 for none). */
    public int nodes() {
        return Math.max(pids.size(), metricsUrls.size());
    }

    /** The server's figures: a single server's, or the sum over a cluster's nodes with each node's own. */
    public Snapshot measure() throws IOException, InterruptedException {
        if (nodes() <= 1) {
            return measure(pids.isEmpty() ? 0 : pids.get(0), metricsUrls.isEmpty() ? null : metricsUrls.get(0));
        }
        List<Snapshot> each = new ArrayList<>(nodes());
        for (int i = 0; i < nodes(); i++) {
            each.add(measure(pids.isEmpty() ? 0 : pids.get(i), metricsUrls.isEmpty() ? null : metricsUrls.get(i)));
        }
        return Snapshot.sum(each);
    }

    private Snapshot measure(long pid, URI metricsUrl) throws IOException, InterruptedException {
        long rss = -1;
        long live = -1;
        if (pid > 0) {
            live = settled(() -> liveObjectBytes(pid), HEAP_POLL_MS);
            rss = settled(() -> ProcFs.rssBytes(pid), RSS_POLL_MS);
        }
        if (metricsUrl == null) {
            return new Snapshot(live, -1, -1, rss);
        }
        String text = metrics(metricsUrl);
        return new Snapshot(
                live >= 0 ? live : liveHeap(text),
                Prometheus.sum(text, "jvm_buffer_memory_used_bytes", "id=\"direct\""),
                Prometheus.sum(text, "netty_allocator_memory_used_bytes", "memory_type=\"direct\""),
                rss);
    }

    /**
     * The heap without its eden: after a full GC the live objects sit in the old (and survivor) pools,
     * while eden holds only what was allocated since, e.g. by this very scrape.
     */
    private static long liveHeap(String metrics) {
        long heap = Prometheus.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
        long eden = Prometheus.sum(metrics, "jvm_memory_used_bytes", "Eden Space\"");
        return heap < 0 ? -1 : heap - Math.max(0, eden);
    }

    /**
     * Waits until the server counts at most {@code connections} open connections ({@code push_connections})
     * and {@code subscriptions} room memberships and subscriptions ({@code push_subscriptions}), so that
     * what is measured next is what stays, not connections still closing or leaving their channels; true
     * at once without {@code --metrics-url}, false when {@code timeout} passes first. For a cluster, the
     * counts of all its nodes together.
     */
    public boolean awaitQuiet(long connections, long subscriptions, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!metricsUrls.isEmpty() && busy(connections, subscriptions)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(RSS_POLL_MS);
        }
        return true;
    }

    private boolean busy(long connections, long subscriptions) throws IOException, InterruptedException {
        long open = 0;
        long memberships = 0;
        for (URI url : metricsUrls) {
            String text = metrics(url);
            open += Math.max(0, Prometheus.sum(text, "push_connections", ""));
            memberships += Math.max(0, Prometheus.sum(text, "push_subscriptions", ""));
        }
        return open > connections || memberships > subscriptions;
    }

    /** A figure read from the server, for {@link #settled}. */
    private interface Reading {
        long read() throws IOException, InterruptedException;
    }

    /** {@code reading}, read again every {@code pollMs} while it falls by more than 1 %, for at most {@link #SETTLE}. */
    private static long settled(Reading reading, long pollMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long value = reading.read();
        while (System.nanoTime() < deadline) {
            Thread.sleep(pollMs);
            long next = reading.read();
            if (next >= value * 0.99) {
                return Math.min(value, next);
            }
            value = next;
        }
        return value;
    }

    /** A full GC, then the bytes of the objects left: the histogram's {@code Total} line. */
    private static long liveObjectBytes(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true)
                .start();
        // Read while it runs: a histogram of a big heap fills the pipe before the process exits.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(jcmd + " " + pid + " GC.class_histogram: no answer in " + TIMEOUT.toSeconds() + "s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(jcmd + " " + pid + " GC.class_histogram: exit " + p.exitValue() + ": " + out.trim());
        }
        return histogramTotalBytes(out);
    }

    /** {@code Total <instances> <bytes>}, the last line of a class histogram. */
    static long histogramTotalBytes(String histogram) throws IOException {
        for (String line : histogram.lines().toList()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 3 && fields[0].equals("Total")) {
                return Long.parseLong(fields[2]);
            }
        }
        throw new IOException("GC.class_histogram: no Total line");
    }

    private String metrics(URI metricsUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(metricsUrl).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + metricsUrl + ": " + r.statusCode());
        }
        return r.body();
    }
}
