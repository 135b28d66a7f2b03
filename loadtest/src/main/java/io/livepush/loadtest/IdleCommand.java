package io.livepush.loadtest;

import io.livepush.loadtest.scenario.Idle;
import io.livepush.loadtest.scenario.RunOptions;
import io.livepush.loadtest.stats.ServerMemory;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "Holds N idle connections (pinging as the server asks) and reports the server's memory per "
                + "connection: heap, direct, Netty direct and RSS, each after a full GC.")
final class IdleCommand extends ScenarioCommand {
    @Option(names = "--connections", defaultValue = "1000", description = "connections to hold (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--ramp", defaultValue = "10s", description = "spread the connects over this time (default: ${DEFAULT-VALUE})")
    Duration ramp;

    @Option(names = "--duration", defaultValue = "30s", description = "how long to hold them once all are up (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--room", description = "a room every connection joins (default: none)")
    String room;

    @Option(names = "--server-pid", defaultValue = "0",
            description = "the server's process id, on this machine: RSS from /proc and a GC (jcmd) before each measurement")
    long serverPid;

    @Option(names = "--metrics-url", description = "the server's metrics, e.g. http://127.0.0.1:9090/metrics: heap and direct memory")
    URI metricsUrl;

    @Override
    Workload prepare(RunOptions run) {
        return new Idle(new Idle.Options(connections, ramp, duration, room), run, new ServerMemory(serverPid, metricsUrl),
                System.out)::run;
    }
}
