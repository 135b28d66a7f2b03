package io.livepush.loadtest;

import io.livepush.loadtest.scenario.Idle;
import io.livepush.loadtest.scenario.RunOptions;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "idle",
        mixinStandardHelpOptions = true,
        description = "Holds N idle connections (pinging as the server asks) and reports the server's memory per "
                + "connection: heap, direct, Netty direct and RSS, each after a full GC.")
final class IdleCommand extends ScenarioCommand {
    @Option(
            names = "--connections",
            defaultValue = "1000",
            description = "connections to hold (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(
            names = "--ramp",
            defaultValue = "10s",
            description = "spread the connects over this time (default: ${DEFAULT-VALUE})")
    Duration ramp;

    @Option(
            names = "--duration",
            defaultValue = "30s",
            description = "how long to hold them once all are up (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--room", description = "a room every connection joins (default: none)")
    String room;

    @Mixin
    MemoryOptions memory;

    @Override
    Workload prepare(RunOptions run) {
        return new Idle(
                new Idle.Options(connections, ramp, duration, room),
                run,
                memory.serverMemory(run.nodes().size()),
                System.out)::run;
    }
}
