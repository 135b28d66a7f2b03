package io.livepush.server.metrics;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.EnumMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The server's meters, exposed in Prometheus text format. Every name starts with {@code push_};
 * the hot-path methods touch only pre-registered meters, so they never look anything up.
 */
public final class PushMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AtomicLong connections = new AtomicLong();
    private final Counter connectionsRejected;
    private final Counter published;
    private final Counter delivered;
    private final Counter replayed;
    private final Counter dropped;
    private final Counter slowConsumersClosed;
    private final Timer deliveryLatency;
    private final EnumMap<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);

    public PushMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        Gauge.builder("push.connections", connections, AtomicLong::get)
                .description("Open client connections")
                .register(registry);
        connectionsRejected = counter("push.connections.rejected", "Connections refused at the door");
        published = counter("push.messages.published", "Messages stored in a channel");
        delivered = counter("push.messages.delivered", "Live messages written to connections");
        replayed = counter("push.messages.replayed", "Stored messages sent on resume");
        dropped = counter("push.messages.dropped", "Live messages dropped for slow consumers");
        slowConsumersClosed = counter("push.slow.consumers.closed", "Connections closed for staying too far behind");
        deliveryLatency = Timer.builder("push.delivery.latency")
                .description("From publish to the write of the fan-out batch")
                .publishPercentileHistogram()
                // Fan-out on loopback takes microseconds: the default 1 ms floor would hide it all.
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNRECOGNIZED) {
                errors.put(code, Counter.builder("push.errors")
                        .description("Error frames sent, by code")
                        .tag("code", code.name())
                        .register(registry));
            }
        }
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** Netty's pooled allocator and the event loops' pending tasks; call once at start-up. */
    public void bindNetty(ByteBufAllocatorMetricProvider allocator, Iterable<EventExecutor> loops) {
        new NettyAllocatorMetrics(requireNonNull(allocator, "allocator")).bindTo(registry);
        new NettyEventExecutorMetrics(requireNonNull(loops, "loops")).bindTo(registry);
    }

    /** The number of rooms with at least one member; read at scrape time. */
    public void bindRooms(LongSupplier rooms) {
        requireNonNull(rooms, "rooms");
        Gauge.builder("push.rooms", rooms::getAsLong).description("Rooms with members").register(registry);
    }

    /** The number of messages the store keeps; read at scrape time. */
    public void bindStoreMessages(LongSupplier messages) {
        requireNonNull(messages, "messages");
        Gauge.builder("push.store.messages", messages::getAsLong)
                .description("Messages kept in the store")
                .register(registry);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
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
        gcMetrics.close();
        registry.close();
    }
}
