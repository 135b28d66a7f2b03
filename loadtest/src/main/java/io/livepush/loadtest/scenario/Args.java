package io.livepush.loadtest.scenario;

import java.time.Duration;

/** Argument checks with the project's message form: {@code "users: 0 (expected: > 0)"}. */
final class Args {
    private Args() {}

    static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
        }
    }

    /** A prefix that makes channel names with any int index after it: PROTOCOL.md's 1–128 of {@code [A-Za-z0-9._:-]}. */
    static void channelPrefix(String name, String prefix) {
        require(
                prefix != null && prefix.matches("[A-Za-z0-9._:-]{0,118}"),
                name,
                prefix,
                "at most 118 of A-Z a-z 0-9 . _ : -");
    }

    static void positive(String name, Duration d) {
        require(d != null && !d.isNegative() && !d.isZero(), name, d, "> 0");
    }
}
