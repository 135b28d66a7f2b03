package io.livepush.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The meters of one proxy hook, registered up front: calls by outcome, their duration (sent calls only)
 * and the calls in flight. Thread-safe.
 */
public final class ProxyMeters {
    private final EnumMap<ProxyOutcome, Counter> outcomes = new EnumMap<>(ProxyOutcome.class);
    private final Timer duration;

    ProxyMeters(MeterRegistry registry, String hook, IntSupplier inFlight) {
        for (ProxyOutcome o : ProxyOutcome.values()) {
            outcomes.put(
                    o,
                    Counter.builder("push.proxy.requests")
                            .description("Calls of a proxy hook to the business backend, by outcome")
                            .tags("hook", hook, "outcome", o.label())
                            .register(registry));
        }
        duration = Timer.builder("push.proxy.duration")
                .description("From sending a proxy hook's request to its answer (or timeout)")
                .tag("hook", hook)
                // A dozen fixed buckets: a backend's answer takes milliseconds to its timeout.
                .serviceLevelObjectives(
                        Duration.ofMillis(5),
                        Duration.ofMillis(10),
                        Duration.ofMillis(25),
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(250),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofMillis(2500),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10))
                .register(registry);
        Gauge.builder("push.proxy.in.flight", inFlight::getAsInt)
                .description("Calls of a proxy hook waiting for their answers")
                .tag("hook", hook)
                .register(registry);
    }

    /** A call sent and ended after {@code nanos}. */
    public void record(ProxyOutcome outcome, long nanos) {
        outcomes.get(outcome).increment();
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A call not sent because the hook was at its bound. */
    public void overloaded() {
        outcomes.get(ProxyOutcome.OVERLOADED).increment();
    }
}
