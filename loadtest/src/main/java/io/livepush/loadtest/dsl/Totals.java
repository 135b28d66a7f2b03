package io.livepush.loadtest.dsl;

import io.livepush.loadtest.stats.ContinuityChecker;

/** Continuity results of one or more memberships, and the deliveries they should have had. */
public record Totals(long holes, long duplicates, long outOfOrder, long expected) {
    public static final Totals NONE = new Totals(0, 0, 0, 0);

    static Totals of(ContinuityChecker c, long expected) {
        return new Totals(c.holes(), c.duplicates(), c.outOfOrder(), expected);
    }

    public Totals plus(Totals o) {
        return new Totals(holes + o.holes, duplicates + o.duplicates, outOfOrder + o.outOfOrder, expected + o.expected);
    }

    public long anomalies() {
        return holes + duplicates + outOfOrder;
    }
}
