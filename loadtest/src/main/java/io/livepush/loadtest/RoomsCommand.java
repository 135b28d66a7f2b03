package io.livepush.loadtest;

import io.livepush.loadtest.scenario.Rooms;
import io.livepush.loadtest.scenario.RunOptions;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "rooms",
        mixinStandardHelpOptions = true,
        description =
                "Many rooms with chat-like traffic: users dealt round-robin into rooms each publish now and then; "
                        + "every member checks latency and per-room seq continuity.")
final class RoomsCommand extends ScenarioCommand {
    @Option(names = "--rooms", defaultValue = "100", description = "rooms (default: ${DEFAULT-VALUE})")
    int rooms;

    @Option(
            names = "--users",
            defaultValue = "1000",
            description = "users, dealt round-robin into the rooms (default: ${DEFAULT-VALUE})")
    int users;

    @Option(
            names = "--rate",
            defaultValue = "0.5",
            description = "messages per second per user, on average (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "30s",
            description = "how long each user chats; the run stops by itself (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--ramp",
            defaultValue = "5s",
            description = "spread the users' starts over this time (default: ${DEFAULT-VALUE})")
    Duration ramp;

    @Option(
            names = "--payload-bytes",
            defaultValue = "100",
            description = "payload size, >= 8 (default: ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(
            names = "--room-prefix",
            defaultValue = "room.chat",
            description = "rooms are <prefix>.0, <prefix>.1 … (default: ${DEFAULT-VALUE})")
    String roomPrefix;

    @Override
    Workload prepare(RunOptions run) {
        return new Rooms(
                new Rooms.Options(rooms, users, rate, duration, ramp, payloadBytes, roomPrefix), run, System.out)::run;
    }
}
