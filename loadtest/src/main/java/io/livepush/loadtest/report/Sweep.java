package io.livepush.loadtest.report;

import java.util.List;

/** A fixed-rate sweep: the comparison of every target at each rate, in rate order. Written as {@code sweep.json}. */
public record Sweep(List<Step> steps) {

    /** Every target at one rate. */
    public record Step(double ratePerSec, Comparison comparison) {}

    public Sweep {
        steps = List.copyOf(steps);
    }

    public boolean allPassed() {
        return steps.stream().allMatch(s -> s.comparison().allPassed());
    }
}
