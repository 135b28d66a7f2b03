package io.livepush.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Brings the binders' meters in line with what {@code promtool check metrics} and Prometheus users expect,
 * so the whole scrape is lint-clean: stable label sets, help text, base units, no misleading suffixes.
 */
final class PrometheusConventions implements MeterFilter {
    /** Nanoseconds as a unit ({@code process_cpu_time_ns_total}): {@link PushMetrics} counts CPU seconds instead. */
    static final String PROCESS_CPU_TIME = "process.cpu.time";

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals(PROCESS_CPU_TIME) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = id.getName();
        if (name.startsWith("netty.allocator.")) {
            // The binder tags each allocator with its identity hash: a new series on every start.
            Tags stable = Tags.of(
                    id.getTags().stream().filter(t -> !t.getKey().equals("id")).toArray(Tag[]::new));
            if (name.startsWith("netty.allocator.memory.") && id.getBaseUnit() == null) {
                return new Meter.Id(
                        name, stable, BaseUnits.BYTES, "Memory held by Netty's pooled allocator", id.getType());
            }
            return new Meter.Id(name, stable, id.getBaseUnit(), id.getDescription(), id.getType());
        }
        if (name.equals("netty.eventexecutor.tasks.pending") && id.getDescription() == null) {
            return new Meter.Id(
                    name, Tags.of(id.getTags()), id.getBaseUnit(), "Tasks queued on a Netty event loop", id.getType());
        }
        if (name.equals("system.cpu.count")) {
            // "_count" is a histogram's suffix to Prometheus.
            return id.withName("system.cpu.processors");
        }
        return id;
    }
}
