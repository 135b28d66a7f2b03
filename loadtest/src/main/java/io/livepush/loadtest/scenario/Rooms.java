package io.livepush.loadtest.scenario;

import static io.livepush.loadtest.dsl.Actions.connect;
import static io.livepush.loadtest.dsl.Actions.during;
import static io.livepush.loadtest.dsl.Actions.join;
import static io.livepush.loadtest.dsl.Actions.pause;
import static io.livepush.loadtest.dsl.Actions.publish;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Feeders;
import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.engine.FileLimits;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.report.Summary;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Many rooms with chat-like traffic: users are dealt round-robin into rooms; each joins its room and
 * then, for the duration, publishes a message now and then (a random pause around {@code 1 / rate}).
 * Every member checks latency and its room's seq continuity from the {@code last_seq} it joined at.
 */
public final class Rooms {
    static final Duration GRACE = Duration.ofSeconds(30);

    /**
     * @param rooms       how many rooms ({@code <prefix>.0} …)
     * @param users       how many users, dealt round-robin into the rooms
     * @param ratePerUser messages each user publishes per second, on average
     * @param duration    how long each user chats; the run stops by itself after it
     * @param ramp        spread the users' starts over this time
     */
    public record Options(
            int rooms,
            int users,
            double ratePerUser,
            Duration duration,
            Duration ramp,
            int payloadBytes,
            String roomPrefix) {
        public Options {
            requireNonNull(duration, "duration");
            requireNonNull(ramp, "ramp");
            requireNonNull(roomPrefix, "roomPrefix");
            Args.require(rooms > 0, "rooms", rooms, "> 0");
            Args.require(users > 0, "users", users, "> 0");
            Args.require(ratePerUser > 0, "ratePerUser", ratePerUser, "> 0");
            Args.positive("duration", duration);
            Args.require(!ramp.isNegative(), "ramp", ramp, ">= 0");
            Args.require(payloadBytes >= Payloads.MIN_BYTES, "payloadBytes", payloadBytes, ">= " + Payloads.MIN_BYTES);
        }
    }

    private final Options options;
    private final RunOptions run;
    private final PrintStream console;

    public Rooms(Options options, RunOptions run, PrintStream console) {
        this.options = requireNonNull(options, "options");
        this.run = requireNonNull(run, "run");
        this.console = requireNonNull(console, "console");
        FileLimits.check(options.users());
    }

    /** The rooms {@code <prefix>.0} … {@code <prefix>.<n-1>}. */
    static List<String> roomNames(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + "." + i).toList();
    }

    Scenario chatters() {
        Duration mean = Duration.ofNanos((long) (1e9 / options.ratePerUser()));
        return scenario("rooms")
                .inject(rampUsers(options.users()).during(options.ramp()))
                .feed(Feeders.sequence("user", "lt-rooms-%d"))
                .feed(Feeders.circular("room", roomNames(options.roomPrefix(), options.rooms())))
                .exec(
                        connect(),
                        join("#{room}"),
                        during(
                                options.duration(),
                                pause(mean.dividedBy(2), mean.multipliedBy(3).dividedBy(2)),
                                publish("#{room}", options.payloadBytes())));
    }

    public Summary run() throws IOException, InterruptedException {
        Scenario scenario = chatters();
        Duration length = options.ramp().plus(options.duration()).plus(GRACE);
        try (ScenarioRun r = new ScenarioRun(run, length.plus(Duration.ofMinutes(10)), console)) {
            console.printf(
                    Locale.ROOT,
                    "rooms: %,d users in %,d rooms -> %s, %s%n",
                    options.users(),
                    options.rooms(),
                    run.nodes(),
                    r.transport());
            r.awaitDone(r.launch(scenario), length); // finish() reports users that did not end
            Map<String, Double> results = new LinkedHashMap<>();
            results.put("rooms", (double) options.rooms());
            results.put("membersPerRoom", (double) options.users() / options.rooms());
            return r.finish(
                    "rooms",
                    new Summary.Config(
                            options.users(),
                            options.users() * options.ratePerUser(),
                            options.duration().toMillis(),
                            options.payloadBytes(),
                            options.roomPrefix() + ".0-" + (options.rooms() - 1)),
                    results,
                    List.of());
        }
    }
}
