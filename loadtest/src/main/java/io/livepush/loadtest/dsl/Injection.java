package io.livepush.loadtest.dsl;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One step of an injection profile: how many virtual users start and when, relative to the start of
 * the step. Steps of a {@link Scenario} run one after the other.
 */
public sealed interface Injection {

    /** {@code n} users, all at the start of the step. */
    static Injection atOnceUsers(int n) {
        return new AtOnce(checkUsers(n));
    }

    /** {@code n} users spread evenly over a duration given with {@link Ramp#during(Duration)}. */
    static Ramp rampUsers(int n) {
        return new Ramp(checkUsers(n), Duration.ZERO);
    }

    /** {@code rate} users a second, evenly spaced, for a duration given with {@link ConstantRate#during(Duration)}. */
    static ConstantRate constantUsersPerSec(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: > 0)");
        }
        return new ConstantRate(rate, Duration.ZERO);
    }

    /** How many users this step starts. */
    int users();

    /** How long this step lasts (the next step starts after it). */
    Duration length();

    /** When user {@code i} (0-based) of this step starts, in nanoseconds from the start of the step. */
    long offsetNanos(int i);

    record AtOnce(int users) implements Injection {
        @Override
        public Duration length() {
            return Duration.ZERO;
        }

        @Override
        public long offsetNanos(int i) {
            return 0;
        }
    }

    record Ramp(int users, Duration length) implements Injection {
        public Ramp {
            requireNonNull(length, "length");
            if (length.isNegative()) {
                throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
            }
        }

        public Ramp during(Duration d) {
            return new Ramp(users, d);
        }

        @Override
        public long offsetNanos(int i) {
            // User i starts at i/n of the ramp: the first at 0, the last one interval before the end.
            return users == 0 ? 0 : length.toNanos() / users * i;
        }
    }

    record ConstantRate(double ratePerSec, Duration length) implements Injection {
        public ConstantRate {
            requireNonNull(length, "length");
            if (length.isNegative()) {
                throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
            }
            checkUsers(users(ratePerSec, length));
        }

        public ConstantRate during(Duration d) {
            return new ConstantRate(ratePerSec, d);
        }

        @Override
        public int users() {
            return users(ratePerSec, length);
        }

        @Override
        public long offsetNanos(int i) {
            return (long) (i * 1e9 / ratePerSec);
        }

        private static int users(double rate, Duration length) {
            double n = Math.floor(rate * length.toNanos() / 1e9);
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("users: " + n + " (expected: <= " + Integer.MAX_VALUE + ")");
            }
            return (int) n;
        }
    }

    private static int checkUsers(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("users: " + n + " (expected: >= 0)");
        }
        return n;
    }
}
