package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

import io.livepush.server.store.ChannelRetention;
import java.time.Duration;

/**
 * Retention and idempotency of the channels kept in Redis.
 *
 * @param retention per channel (its namespace's): messages kept (the stream's exact MAXLEN), and an age: a
 *     channel with no publish for this long expires as a whole (meta and stream), and its next publish starts a
 *     new epoch. Asked at each publish and head read, so a namespace change applies at the channel's next publish
 * @param idempotencyWindow how long an idempotency key answers with its first publish
 */
public record RedisLogLimits(ChannelRetention retention, Duration idempotencyWindow) {
    public RedisLogLimits {
        requireNonNull(retention, "retention");
        requireNonNull(idempotencyWindow, "idempotencyWindow");
        if (idempotencyWindow.toMillis() <= 0) {
            throw new IllegalArgumentException("idempotencyWindow: " + idempotencyWindow + " (expected: >= 1ms)");
        }
    }

    /** The same retention for every channel. */
    public RedisLogLimits(int retentionMaxMessages, Duration retentionMaxAge, Duration idempotencyWindow) {
        this(ChannelRetention.fixed(retentionMaxMessages, retentionMaxAge), idempotencyWindow);
    }

    /** The channel's age limit in milliseconds, as the scripts take it. */
    String maxAgeMs(String channel) {
        return Long.toString(retention.of(channel).maxAge().toMillis());
    }
}
