package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The history a channel keeps: its namespace's count and age limits. Asked once per append batch and per
 * retention sweep, not per message, so a namespace change (a config reload) reaches an open channel at its
 * next append or sweep.
 */
@FunctionalInterface
public interface ChannelRetention {
    /** Messages kept and their age limit. */
    record Limits(int maxMessages, Duration maxAge) {
        public Limits {
            requireNonNull(maxAge, "maxAge");
            if (maxMessages <= 0) {
                throw new IllegalArgumentException("maxMessages: " + maxMessages + " (expected: > 0)");
            }
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
            }
        }
    }

    Limits of(String channel);

    /** The same limits for every channel. */
    static ChannelRetention fixed(int maxMessages, Duration maxAge) {
        Limits limits = new Limits(maxMessages, maxAge);
        return channel -> limits;
    }
}
