package io.livepush.server.metrics;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's meters, exposed in Prometheus text format. Every name starts with {@code push_};
 * the hot-path methods touch only pre-registered meters, so they never look anything up.
 */
public final class PushMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProcessMeters process;
    private final ConnectionMeters connections;
    private final Counter resumesRecovered;
    private final Counter resumesNotRecovered;
    private final Counter connectionsRejected;
    private final Counter published;
    private final Counter delivered;
    private final Counter replayed;
    private final Counter dropped;
    private final Counter slowConsumersClosed;
    private final Timer deliveryLatency;
    private final Counter logGapsFilled;
    private final Counter logMessagesLost;
    private final Counter logReads;
    private final Timer redisRoundTrip;
    private final EnumMap<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Map<String, Counter> storeEvictions = new ConcurrentHashMap<>();
    private final EnumMap<Limit, Counter> limitRefusals = new EnumMap<>(Limit.class);

    public PushMetrics() {
        registry.config().meterFilter(new PrometheusConventions()); // before anything registers
        process = new ProcessMeters(registry);
        connections = new ConnectionMeters(registry);
        resumesRecovered = resumes("recovered");
        resumesNotRecovered = resumes("not_recovered");
        connectionsRejected = counter("push.connections.rejected", "Connections refused at the door");
        for (Limit limit : Limit.values()) {
            limitRefusals.put(
                    limit,
                    Counter.builder("push.limit.refusals")
                            .description("Connections and requests refused by a configured limit")
                            .tag("limit", limit.label())
                            .register(registry));
        }
        published = counter("push.messages.published", "Messages stored in a channel");
        delivered = counter("push.messages.delivered", "Live messages written to connections");
        replayed = counter("push.messages.replayed", "Stored messages sent on resume");
        dropped = counter("push.messages.dropped", "Live messages dropped for slow consumers");
        slowConsumersClosed = counter("push.slow.consumers.closed", "Connections closed for staying too far behind");
        logGapsFilled = counter(
                "push.cluster.gaps.filled", "Live messages a node missed from Redis Pub/Sub and read from the stream");
        logMessagesLost =
                counter("push.cluster.messages.lost", "Live messages a node missed and could no longer read (trimmed)");
        logReads =
                counter("push.cluster.stream.reads", "Reads of a channel's Redis stream (gap fills, replays, history)");
        redisRoundTrip = Timer.builder("push.cluster.redis.rtt")
                .description("Round trip of a PING to the cluster's Redis")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        deliveryLatency = Timer.builder("push.delivery.latency")
                .description("From publish to the write of the fan-out batch")
                .publishPercentileHistogram()
                // Fan-out on loopback takes microseconds: the default 1 ms floor would hide it all.
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNRECOGNIZED) {
                errors.put(
                        code,
                        Counter.builder("push.errors")
                                .description("Error frames sent, by code")
                                .tag("code", code.name())
                                .register(registry));
            }
        }
    }

    /** Live messages of the shared log that a node missed and read back from it. */
    public void gapsFilled(int messages) {
        logGapsFilled.increment(messages);
    }

    /** Live messages of the shared log that a node missed and could not read back. */
    public void messagesLost(long messages) {
        logMessagesLost.increment(messages);
    }

    /** One PING to the cluster's Redis and its answer. */
    public void redisRoundTrip(long nanos) {
        redisRoundTrip.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One read of a channel's history in the shared log. */
    public void logRead() {
        logReads.increment();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private Counter resumes(String outcome) {
        return Counter.builder("push.resumes")
                .description("Joins and subscribes with a position to resume from, by whether history covered it")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Netty's pooled allocator and the event loops' pending tasks; call once at start-up. */
    public void bindNetty(ByteBufAllocatorMetricProvider allocator, Iterable<EventExecutor> loops) {
        new NettyAllocatorMetrics(requireNonNull(allocator, "allocator")).bindTo(registry);
        new NettyEventExecutorMetrics(requireNonNull(loops, "loops")).bindTo(registry);
    }

    /** The meters of a proxy hook that is on ({@code hook} label), with its calls in flight read at scrape time. */
    public ProxyMeters proxyHook(String hook, IntSupplier inFlight) {
        return new ProxyMeters(registry, requireNonNull(hook, "hook"), requireNonNull(inFlight, "inFlight"));
    }

    /** Live nodes of the cluster; read at scrape time. */
    public void bindClusterNodes(LongSupplier nodes) {
        requireNonNull(nodes, "nodes");
        Gauge.builder("push.cluster.nodes", nodes::getAsLong)
                .description("Live nodes of the cluster, this one included, as its presence last read them")
                .register(registry);
    }

    /** The number of rooms with at least one member; read at scrape time. */
    public void bindRooms(LongSupplier rooms) {
        requireNonNull(rooms, "rooms");
        Gauge.builder("push.rooms", rooms::getAsLong)
                .description("Rooms with members")
                .register(registry);
    }

    /** Room memberships and subscriptions, all channels together; read at scrape time. */
    public void bindSubscriptions(LongSupplier subscriptions) {
        requireNonNull(subscriptions, "subscriptions");
        Gauge.builder("push.subscriptions", subscriptions::getAsLong)
                .description("Connections following a channel, as a room member or a subscriber")
                .register(registry);
    }

    /** Open sockets of a group of ports against its budget, and sockets closed at accept above it. */
    public void bindSocketBudget(String group, LongSupplier open, int capacity, LongSupplier refused) {
        Gauge.builder("push.sockets", open::getAsLong)
                .description("Open sockets, counted from accept")
                .tag("ports", group)
                .register(registry);
        Gauge.builder("push.sockets.capacity", () -> capacity)
                .description("Sockets allowed at once")
                .tag("ports", group)
                .register(registry);
        FunctionCounter.builder("push.sockets.refused", refused, LongSupplier::getAsLong)
                .description("Sockets closed at accept because the budget was full")
                .tag("ports", group)
                .register(registry);
    }

    /**
     * A capacity-bound store, read at scrape time: {@code push_store_entries}, its
     * {@code push_store_capacity_entries}, their ratio {@code push_store_fill_ratio} (may pass 1 when
     * the capacity was lowered below what a store already holds), all tagged {@code store}, and its
     * {@code push_store_evictions_total} counter (0 until {@link #storeEvicted}). Call once per store.
     *
     * @param store the {@code store} tag, e.g. {@code applets}, {@code sync_items}
     * @param entries entries stored now; called at every scrape, so it must be cheap
     * @param capacity entries the store holds before it refuses or evicts
     */
    public void bindStore(String store, LongSupplier entries, long capacity) {
        requireNonNull(store, "store");
        requireNonNull(entries, "entries");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        Gauge.builder("push.store.entries", entries::getAsLong)
                .description("Entries in the store")
                .tag("store", store)
                .register(registry);
        Gauge.builder("push.store.capacity.entries", () -> capacity)
                .description(
                        "Entries the store holds before it refuses writes (applets, sync) or evicts (messages, channels)")
                .tag("store", store)
                .register(registry);
        Gauge.builder("push.store.fill.ratio", () -> (double) entries.getAsLong() / capacity)
                .description("Entries in the store over its capacity")
                .tag("store", store)
                .register(registry);
        storeEvictions.computeIfAbsent(store, this::evictionCounter);
    }

    /** {@code n} entries of {@code store} evicted to stay within its capacity. */
    public void storeEvicted(String store, long n) {
        storeEvictions
                .computeIfAbsent(requireNonNull(store, "store"), this::evictionCounter)
                .increment(n);
    }

    private Counter evictionCounter(String store) {
        return Counter.builder("push.store.evictions")
                .description("Entries evicted from the store to stay within its capacity")
                .tag("store", store)
                .register(registry);
    }

    /**
     * Channels, read at scrape time: {@code push_channels_active} (channel states in memory) and
     * {@code push_channels_stored} (channels in the channel table).
     */
    public void bindChannels(LongSupplier active, LongSupplier stored) {
        requireNonNull(active, "active");
        requireNonNull(stored, "stored");
        Gauge.builder("push.channels.active", active::getAsLong)
                .description("Channel states in memory")
                .register(registry);
        Gauge.builder("push.channels.stored", stored::getAsLong)
                .description("Channels in the channel table")
                .register(registry);
    }

    /** A client connection past the connection limit (TCP: accepted; WebSocket: upgraded). */
    public void connectionOpened(ClientTransport transport) {
        connections.opened(transport);
    }

    /** Once per connection that {@link #connectionOpened} counted. */
    public void connectionClosed(ClientTransport transport, CloseReason reason) {
        connections.closed(transport, reason);
    }

    /** A connection authenticated by its Connect. */
    public void connected(ClientTransport transport) {
        connections.connected(transport);
    }

    /** Where the pipelines of {@code transport} count the bytes they read and write. */
    public TrafficCounter traffic(ClientTransport transport) {
        return connections.traffic(transport);
    }

    /** A join or subscribe that asked to resume, and whether the history it needed was still there. */
    public void resumed(boolean recovered) {
        (recovered ? resumesRecovered : resumesNotRecovered).increment();
    }

    /**
     * The tasks queued on each channel home (its {@code home} label is its index), read at scrape time, and the
     * capacity of each queue: a home whose queue fills refuses work with "busy".
     */
    public void bindHomes(Iterable<EventExecutor> homes, int capacity) {
        int i = 0;
        for (EventExecutor home : homes) {
            if (home instanceof SingleThreadEventExecutor queue) {
                Gauge.builder("push.home.queue", queue, SingleThreadEventExecutor::pendingTasks)
                        .description("Tasks queued on a channel home")
                        .baseUnit("tasks")
                        .tag("home", Integer.toString(i++))
                        .register(registry);
            }
        }
        Gauge.builder("push.home.queue.capacity", () -> capacity)
                .description("Tasks a channel home queues before it refuses work")
                .baseUnit("tasks")
                .register(registry);
    }

    /**
     * One admin API answer. {@code route} is the route's template (never the raw path) and {@code method} one
     * of its methods, so the label sets stay bounded; off the client event loops, so the lookup is affordable.
     */
    public void adminRequest(String method, String route, int status) {
        Counter.builder("push.admin.requests")
                .description("Admin API answers, by route template and HTTP status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry)
                .increment();
    }

    /** A request or connection refused by one of the configured limits. */
    public void limitRefused(Limit limit) {
        limitRefusals.get(limit).increment();
    }

    public void connectionRejected() {
        connectionsRejected.increment();
    }

    public void published() {
        published.increment();
    }

    /** Once per fan-out batch with the number of members written, not once per member. */
    public void delivered(long n) {
        delivered.increment(n);
    }

    public void replayed(long n) {
        replayed.increment(n);
    }

    public void dropped(long n) {
        dropped.increment(n);
    }

    public void slowConsumerClosed() {
        slowConsumersClosed.increment();
    }

    public void error(ErrorCode code) {
        // UNRECOGNIZED has no counter: a code this build does not know is counted as UNKNOWN.
        Counter counter = errors.get(code);
        (counter != null ? counter : errors.get(ErrorCode.UNKNOWN)).increment();
    }

    public void deliveryLatency(long nanos) {
        deliveryLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        process.close();
        registry.close();
    }
}
