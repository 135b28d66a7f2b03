package io.livepush.loadtest;

import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.scenario.Fanout;
import io.livepush.loadtest.scenario.FanoutOptions;
import io.livepush.loadtest.targets.TargetKind;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fanout}: N subscribers in one room, one publisher at a fixed rate or closed-loop, against one target: one
 * node, or a cluster's nodes (the publisher on the first, the subscribers round-robin over all).
 */
@Command(
        name = "fanout",
        mixinStandardHelpOptions = true,
        description = {
            "N subscribers join one room; one publisher publishes at a fixed rate or closed-loop; checks latency and seq continuity.",
            "Targets: " + WorkloadOptions.TARGETS
                    + ". Holes fail a run against our server; MQTT QoS 0 and Redis Pub/Sub "
                    + "may drop messages for slow subscribers by design, so their holes are reported, not failed."
        })
final class FanoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    WorkloadOptions workload;

    @Option(
            names = "--target",
            defaultValue = "push-tcp",
            converter = WorkloadOptions.TargetConverter.class,
            description = "what to load: push-tcp, push-ws, mqtt or redis (default: ${DEFAULT-VALUE})")
    TargetKind target;

    @Option(
            names = "--port",
            split = ",",
            description = "the target's port" + TargetOptions.CLUSTER
                    + " (default: push-tcp 7070, push-ws 8080, mqtt 1883, redis 6379)")
    List<Integer> port;

    @Option(
            names = "--server-pid",
            split = ",",
            description = "the target's server process(es), whose CPU time and RSS are measured "
                    + "(default: the processes listening on --port)")
    List<Long> serverPid;

    @Option(names = "--out", description = "directory for summary.json and report.html")
    Path out;

    @Override
    public Integer call() throws Exception {
        Scenario scenario;
        FanoutOptions options;
        try {
            scenario = workload.scenario();
            options = workload.options(target, "--port", port == null ? List.of(target.defaultPort()) : port, out);
            if (serverPid != null) {
                options = options.withServerPids(serverPid);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Summary summary = new Fanout(scenario, options, System.out).run();
        return summary.passed() ? 0 : 1;
    }
}
