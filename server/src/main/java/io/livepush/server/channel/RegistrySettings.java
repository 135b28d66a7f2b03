package io.livepush.server.channel;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Tuning of the channel registry.
 *
 * @param replayPageSize messages per replay page (a long backlog goes out page by page)
 * @param historyLimit the server cap on one History answer's message count
 * @param historyMaxBytes the cap on one History answer's payload bytes
 * @param idempotencyWindow how long a publish's idempotency key is remembered
 * @param idempotencyKeysPerChannel how many keys a channel remembers at most
 * @param slowConsumerTimeout how long a connection may stay unwritable before it is sent away
 * @param recentFramesPerChannel how many of each channel's latest messages are kept encoded for resumes
 * @param recentFramesMaxBytes the bytes all channels' recent frames may hold together
 * @param maxQueuedPublishes writes one channel may have waiting for its home before refusing more
 * @param maxQueuedBytes payload bytes one channel may have waiting for its home before refusing more
 * @param publishBatch the most queued publishes of a channel stored with one commit
 * @param channelIdle how long a channel without members, queued writes or publishes keeps its state in memory
 * @param channelStatesSoftMax above this many channel states, those nothing needs go at the next sweep, idle or not
 * @param retentionMaxAge the shortest age retention of any namespace: it sets how often the retention sweep runs
 * @param countsPresence whether a channel's room members are counted (its namespace's {@code presence}), asked
 *     once when its state is made: a room's count never switches mid-way, so a reload applies to rooms opened
 *     after it
 * @param joinLeaveEvents whether a room's members get member_joined / member_left pushes (its namespace's
 *     {@code join-leave-events}), asked once when its state is made, as {@code countsPresence}
 */
public record RegistrySettings(
        int replayPageSize,
        int historyLimit,
        int historyMaxBytes,
        Duration idempotencyWindow,
        int idempotencyKeysPerChannel,
        Duration slowConsumerTimeout,
        int recentFramesPerChannel,
        long recentFramesMaxBytes,
        int maxQueuedPublishes,
        long maxQueuedBytes,
        int publishBatch,
        Duration channelIdle,
        long channelStatesSoftMax,
        Duration retentionMaxAge,
        Predicate<String> countsPresence,
        Predicate<String> joinLeaveEvents) {
    public RegistrySettings {
        if (replayPageSize <= 0) {
            throw new IllegalArgumentException("replayPageSize: " + replayPageSize + " (expected: > 0)");
        }
        if (historyLimit <= 0) {
            throw new IllegalArgumentException("historyLimit: " + historyLimit + " (expected: > 0)");
        }
        if (channelIdle.isNegative()) {
            throw new IllegalArgumentException("channelIdle: " + channelIdle + " (expected: >= 0)");
        }
    }

    /** The messages a history read returns at most: {@code limit}, or the server's cap when 0 or above it. */
    int historyCap(int limit) {
        return limit <= 0 ? historyLimit : Math.min(limit, historyLimit);
    }
}
