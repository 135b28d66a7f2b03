package io.livepush.loadtest.scenario;

import java.time.Duration;

/** Argument checks with the project's message form: {@code "users: 0 (expected: > 0)"}. */
final class Args {
    private Args() {
    }

    static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
        }
    }

    static void positive(String name, Duration d) {
        require(d != null && !d.isNegative() && !d.isZero(), name, d, "> 0");
    }
}
