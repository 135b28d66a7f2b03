package io.livepush.loadtest;

import io.livepush.loadtest.scenario.ReconnectStorm;
import io.livepush.loadtest.scenario.RunOptions;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "reconnect-storm",
        mixinStandardHelpOptions = true,
        description = "N clients in one room all drop at once, M messages are published while they are away, all "
                + "reconnect at once with resume; reports the storm recovery time (zero holes required).")
final class ReconnectStormCommand extends ScenarioCommand {
    @Option(names = "--clients", defaultValue = "10000", description = "clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(
            names = "--missed",
            defaultValue = "100",
            description = "messages published while they are away (default: ${DEFAULT-VALUE})")
    int missed;

    @Option(
            names = "--ramp",
            defaultValue = "5s",
            description = "spread the first connects over this time; the storm is at once (default: ${DEFAULT-VALUE})")
    Duration ramp;

    @Option(
            names = "--duration",
            defaultValue = "2m",
            description = "the longest the run may take; it stops by itself (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--payload-bytes",
            defaultValue = "100",
            description = "payload size, >= 8 (default: ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(
            names = "--storms",
            defaultValue = "1",
            description = {
                "storms the same clients go through, one after the other (a first one warms up both sides); each storm's recovery is reported, stormRecoveryMs is the slowest (default: ${DEFAULT-VALUE})"
            })
    int storms;

    @Option(names = "--room", defaultValue = "room.storm", description = "room name (default: ${DEFAULT-VALUE})")
    String room;

    @Override
    Workload prepare(RunOptions run) {
        return new ReconnectStorm(
                new ReconnectStorm.Options(clients, missed, ramp, duration, payloadBytes, room, storms),
                run,
                System.out)::run;
    }
}
