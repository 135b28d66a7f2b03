package io.livepush.loadtest.engine;

/** How a publisher paces itself. */
public sealed interface Pacing {

    /** {@code perSec} publishes per second, on average since the start. */
    record FixedRate(double perSec) implements Pacing {
        public FixedRate {
            if (!(perSec > 0) || Double.isInfinite(perSec)) {
                throw new IllegalArgumentException("perSec: " + perSec + " (expected: > 0)");
            }
        }
    }

    /**
     * As fast as possible while at most {@code backlog} messages are published but not yet delivered to
     * the slowest subscriber: the achieved deliveries/s is the target's fan-out capacity.
     */
    record ClosedLoop(int backlog) implements Pacing {
        public ClosedLoop {
            if (backlog <= 0) {
                throw new IllegalArgumentException("backlog: " + backlog + " (expected: > 0)");
            }
        }
    }
}
