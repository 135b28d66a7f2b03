package io.livepush.loadtest.dsl;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A named scenario: its injection profile, the feeders that give each virtual user its values, and the
 * script every user runs:
 * <pre>{@code
 * scenario("rooms").inject(rampUsers(1000).during(Duration.ofSeconds(10)))
 *         .feed(Feeders.sequence("user", "lt-user-%d")).feed(Feeders.circular("room", rooms))
 *         .exec(connect(), join("#{room}"),
 *                 during(ofMinutes(1), pause(ofMillis(500), ofMillis(1500)), publish("#{room}", 100)))
 * }</pre>
 * Immutable; {@link #launch(Harness)} starts the users. A scenario without a script (e.g.
 * {@link io.livepush.loadtest.scenario.Fanout}) leaves what the users do to its workload.
 */
public final class Scenario {
    private final String name;
    private final List<Injection> steps;
    private final List<Feeder> feeders;
    private final List<Action> script;

    private Scenario(String name, List<Injection> steps, List<Feeder> feeders, List<Action> script) {
        this.name = name;
        this.steps = List.copyOf(steps);
        this.feeders = List.copyOf(feeders);
        this.script = List.copyOf(script);
    }

    public static Scenario scenario(String name) {
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: '' (expected: not empty)");
        }
        return new Scenario(name, List.of(), List.of(), List.of());
    }

    /** Appends injection steps; they run one after the other. */
    public Scenario inject(Injection... more) {
        return new Scenario(name, append(steps, more, "step"), feeders, script);
    }

    /** Adds a feeder: each new user takes its next values (later feeders win on a shared key). */
    public Scenario feed(Feeder feeder) {
        return new Scenario(name, steps, append(feeders, new Feeder[] {feeder}, "feeder"), script);
    }

    /** Appends actions to the script. */
    public Scenario exec(Action... actions) {
        return new Scenario(name, steps, feeders, append(script, actions, "action"));
    }

    private static <T> List<T> append(List<T> list, T[] more, String what) {
        List<T> all = new ArrayList<>(list);
        for (T t : more) {
            all.add(requireNonNull(t, what));
        }
        return all;
    }

    public String name() {
        return name;
    }

    public List<Injection> steps() {
        return steps;
    }

    public int users() {
        return steps.stream().mapToInt(Injection::users).sum();
    }

    /** The start offset of every user, in nanoseconds from the start of the run, in user order. */
    public long[] startOffsetsNanos() {
        long[] offsets = new long[users()];
        int user = 0;
        long stepStart = 0;
        for (Injection step : steps) {
            for (int i = 0; i < step.users(); i++) {
                offsets[user++] = stepStart + step.offsetNanos(i);
            }
            stepStart += step.length().toNanos();
        }
        return offsets;
    }

    /** When the last user starts, in nanoseconds from the start of the run. */
    public long lastOffsetNanos() {
        long[] offsets = startOffsetsNanos();
        return offsets.length == 0 ? 0 : offsets[offsets.length - 1];
    }

    /**
     * Creates every user with its feeder values now, on this thread, and starts each one's script at its
     * offset on one of the engine's event loops.
     */
    public List<Session> launch(Harness harness) {
        requireNonNull(harness, "harness");
        long[] offsets = startOffsetsNanos();
        List<Session> sessions = new ArrayList<>(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            Map<String, String> values = new HashMap<>();
            for (Feeder f : feeders) {
                values.putAll(f.next());
            }
            sessions.add(new Session(
                    i,
                    values,
                    "lt-" + name + "-" + i,
                    harness,
                    harness.engine().group().next()));
        }
        for (int i = 0; i < offsets.length; i++) {
            sessions.get(i).start(script, offsets[i]);
        }
        return sessions;
    }
}
