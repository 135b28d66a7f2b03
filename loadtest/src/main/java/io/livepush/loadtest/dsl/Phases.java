package io.livepush.loadtest.dsl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

/**
 * Which of a run's successive phases (storms, rounds …) each user of one scenario is in, by session
 * index, so one script can wait on each phase's own gates and checkpoints in turn:
 * {@code repeat(n, phases.in(p -> await(p.start)), …, phases.advance())}. Each entry is only touched on
 * its user's loop (a reconnect moves the user through a task submission); the driver never reads it, it
 * only opens the phases' gates in turn.
 *
 * @param <P> what the driver keeps per phase (its gates, checkpoints, timings)
 */
public final class Phases<P> {
    private final List<P> phases;
    private final int[] current;

    /** @param users how many users the scenario launches (session indexes 0 … users − 1) */
    public Phases(List<P> phases, int users) {
        this.phases = List.copyOf(requireNonNull(phases, "phases"));
        this.current = new int[users];
    }

    /** {@code action} made for the phase the user is in, when its turn comes. */
    public Action in(Function<P, Action> action) {
        requireNonNull(action, "action");
        return (s, next) -> action.apply(phases.get(current[s.index()])).execute(s, next);
    }

    /** On to the next phase. */
    public Action advance() {
        return Actions.call(s -> current[s.index()]++);
    }
}
