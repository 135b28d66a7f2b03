package io.livepush.loadtest.dsl;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A named scenario and its injection profile:
 * {@code scenario("fanout").inject(rampUsers(1000).during(Duration.ofSeconds(10)))}.
 * What each user does is the workload's (e.g. {@link io.livepush.loadtest.scenario.Fanout}).
 */
public final class Scenario {
    private final String name;
    private final List<Injection> steps;

    private Scenario(String name, List<Injection> steps) {
        this.name = name;
        this.steps = List.copyOf(steps);
    }

    public static Scenario scenario(String name) {
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: '' (expected: not empty)");
        }
        return new Scenario(name, List.of());
    }

    /** Appends injection steps; they run one after the other. */
    public Scenario inject(Injection... more) {
        List<Injection> all = new ArrayList<>(steps);
        for (Injection step : more) {
            all.add(requireNonNull(step, "step"));
        }
        return new Scenario(name, all);
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
}
