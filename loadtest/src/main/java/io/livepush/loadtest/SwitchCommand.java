package io.livepush.loadtest;

import io.livepush.loadtest.scenario.RunOptions;
import io.livepush.loadtest.scenario.Switch;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "switch",
        mixinStandardHelpOptions = true,
        description = "Users hop rooms (SwitchRoom) while a publisher per room keeps the rooms busy; checks continuity "
                + "after every switch answer and that no old-room message follows it.")
final class SwitchCommand extends ScenarioCommand {
    @Option(names = "--rooms", defaultValue = "10", description = "rooms, >= 2 (default: ${DEFAULT-VALUE})")
    int rooms;

    @Option(names = "--users", defaultValue = "1000", description = "hopping users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(
            names = "--interval",
            defaultValue = "2s",
            description = "time between a user's switches (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(
            names = "--rate",
            defaultValue = "20",
            description = "messages per second per room, on average (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "30s",
            description = "how long users hop; the run stops by itself (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--ramp",
            defaultValue = "2s",
            description = "spread the users' starts over this time (default: ${DEFAULT-VALUE})")
    Duration ramp;

    @Option(
            names = "--payload-bytes",
            defaultValue = "100",
            description = "payload size, >= 8 (default: ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(
            names = "--room-prefix",
            defaultValue = "room.switch",
            description = "rooms are <prefix>.0, <prefix>.1 … (default: ${DEFAULT-VALUE})")
    String roomPrefix;

    @Override
    Workload prepare(RunOptions run) {
        return new Switch(
                new Switch.Options(rooms, users, interval, rate, duration, ramp, payloadBytes, roomPrefix),
                run,
                System.out)::run;
    }
}
