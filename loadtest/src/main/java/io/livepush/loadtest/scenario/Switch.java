package io.livepush.loadtest.scenario;

import static io.livepush.loadtest.dsl.Actions.call;
import static io.livepush.loadtest.dsl.Actions.connect;
import static io.livepush.loadtest.dsl.Actions.during;
import static io.livepush.loadtest.dsl.Actions.join;
import static io.livepush.loadtest.dsl.Actions.pause;
import static io.livepush.loadtest.dsl.Actions.publish;
import static io.livepush.loadtest.dsl.Actions.switchRoom;
import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Feeders;
import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.dsl.Session;
import io.livepush.loadtest.engine.FileLimits;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.report.Summary;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Users hopping rooms: each joins a room, then every interval switches to another one at random
 * ({@code SwitchRoom}), while one publisher per room keeps every room busy. Each switch answer starts
 * a new continuity check from its {@code last_seq}; any message of the old room after that answer is
 * a stray and fails the run.
 */
public final class Switch {
    static final Duration GRACE = Duration.ofSeconds(30);

    /**
     * @param rooms       how many rooms ({@code <prefix>.0} …), at least 2
     * @param users       how many hopping users, dealt round-robin into the rooms to start
     * @param interval    time between a user's switches
     * @param ratePerRoom messages per second each room's publisher publishes, on average
     * @param duration    how long users hop; the run stops by itself after it
     * @param ramp        spread the users' starts over this time
     */
    public record Options(
            int rooms,
            int users,
            Duration interval,
            double ratePerRoom,
            Duration duration,
            Duration ramp,
            int payloadBytes,
            String roomPrefix) {
        public Options {
            requireNonNull(ramp, "ramp");
            requireNonNull(roomPrefix, "roomPrefix");
            Args.require(rooms >= 2, "rooms", rooms, ">= 2");
            Args.require(users > 0, "users", users, "> 0");
            Args.positive("interval", interval);
            Args.require(ratePerRoom > 0, "ratePerRoom", ratePerRoom, "> 0");
            Args.positive("duration", duration);
            Args.require(!ramp.isNegative(), "ramp", ramp, ">= 0");
            Args.require(payloadBytes >= Payloads.MIN_BYTES, "payloadBytes", payloadBytes, ">= " + Payloads.MIN_BYTES);
        }
    }

    private final Options options;
    private final RunOptions run;
    private final PrintStream console;
    private final List<String> rooms;
    private final Map<String, Integer> roomIndex = new HashMap<>();
    private final LongAdder switches = new LongAdder();

    public Switch(Options options, RunOptions run, PrintStream console) {
        this.options = requireNonNull(options, "options");
        this.run = requireNonNull(run, "run");
        this.console = requireNonNull(console, "console");
        FileLimits.check(options.users() + options.rooms());
        this.rooms = Rooms.roomNames(options.roomPrefix(), options.rooms());
        for (int i = 0; i < rooms.size(); i++) {
            roomIndex.put(rooms.get(i), i);
        }
    }

    /** Any room but the user's current one. */
    private String otherRoom(Session s) {
        int current = roomIndex.get(s.room());
        return rooms.get((current + 1 + ThreadLocalRandom.current().nextInt(rooms.size() - 1)) % rooms.size());
    }

    Scenario hoppers() {
        return scenario("switch")
                .inject(rampUsers(options.users()).during(options.ramp()))
                .feed(Feeders.sequence("user", "lt-switch-%d"))
                .feed(Feeders.circular("room", rooms))
                .exec(
                        connect(),
                        join("#{room}"),
                        during(
                                options.duration(),
                                pause(options.interval()),
                                switchRoom(this::otherRoom),
                                call(s -> switches.increment())));
    }

    Scenario publishers() {
        Duration mean = Duration.ofNanos((long) (1e9 / options.ratePerRoom()));
        return scenario("switch-publishers")
                .inject(atOnceUsers(options.rooms()))
                .feed(Feeders.sequence("user", "lt-switch-pub-%d"))
                .feed(Feeders.circular("room", rooms))
                .exec(
                        connect(),
                        during(
                                options.ramp().plus(options.duration()),
                                publish("#{room}", options.payloadBytes()),
                                pause(mean.dividedBy(2), mean.multipliedBy(3).dividedBy(2))));
    }

    public Summary run() throws IOException, InterruptedException {
        Duration length = options.ramp().plus(options.duration()).plus(GRACE);
        try (ScenarioRun r = new ScenarioRun(run, length.plus(Duration.ofMinutes(10)), console)) {
            console.printf(
                    Locale.ROOT,
                    "switch: %,d users hopping %,d rooms every %s, %s msg/s per room -> %s, %s%n",
                    options.users(),
                    options.rooms(),
                    options.interval(),
                    options.ratePerRoom(),
                    run.nodes(),
                    r.transport());
            List<Session> all = new ArrayList<>(r.launch(publishers()));
            all.addAll(r.launch(hoppers()));
            r.awaitDone(all, length); // finish() reports users that did not end
            Map<String, Double> results = new LinkedHashMap<>();
            results.put("rooms", (double) options.rooms());
            results.put("switches", (double) switches.sum());
            results.put("oldRoomMessagesAfterSwitch", (double) r.harness().strays());
            return r.finish(
                    "switch",
                    new Summary.Config(
                            options.users(),
                            options.rooms() * options.ratePerRoom(),
                            options.duration().toMillis(),
                            options.payloadBytes(),
                            options.roomPrefix() + ".0-" + (options.rooms() - 1)),
                    results,
                    List.of());
        }
    }
}
