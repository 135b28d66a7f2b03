package io.livepush.server.metrics;

import io.livepush.server.config.BuildInfo;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.lang.management.ManagementFactory;

/**
 * What the process is and how it runs: {@code push_build_info} and the JVM, CPU, uptime and file
 * descriptor meters, in the names {@link PrometheusConventions} gives them.
 */
final class ProcessMeters implements AutoCloseable {
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    /** Call on a registry that has {@link PrometheusConventions} already: a filter added later misses these. */
    ProcessMeters(MeterRegistry registry) {
        Gauge.builder("push.build.info", () -> 1)
                .description("The server's version and commit; always 1")
                .tags("version", BuildInfo.CURRENT.version(), "commit", BuildInfo.CURRENT.commit())
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // In place of the binder's process_cpu_time_ns_total: seconds are Prometheus's unit.
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9)
                    .description("CPU time the process used")
                    .baseUnit("seconds")
                    .register(registry);
        }
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    @Override
    public void close() {
        gcMetrics.close();
    }
}
