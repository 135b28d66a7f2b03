package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Retention and idempotency of the channels kept in Redis.
 *
 * @param retentionMaxMessages messages kept per channel (the stream's exact MAXLEN)
 * @param retentionMaxAge a channel with no publish for this long expires as a whole (meta and stream), and its
 *     next publish starts a new epoch
 * @param idempotencyWindow how long an idempotency key answers with its first publish
 */
public record RedisLogLimits(int retentionMaxMessages, Duration retentionMaxAge, Duration idempotencyWindow) {
    public RedisLogLimits {
        requireNonNull(retentionMaxAge, "retentionMaxAge");
        requireNonNull(idempotencyWindow, "idempotencyWindow");
        if (retentionMaxMessages <= 0) {
            throw new IllegalArgumentException("retentionMaxMessages: " + retentionMaxMessages + " (expected: > 0)");
        }
        if (retentionMaxAge.toMillis() <= 0) {
            throw new IllegalArgumentException("retentionMaxAge: " + retentionMaxAge + " (expected: >= 1ms)");
        }
        if (idempotencyWindow.toMillis() <= 0) {
            throw new IllegalArgumentException("idempotencyWindow: " + idempotencyWindow + " (expected: >= 1ms)");
        }
    }
}
