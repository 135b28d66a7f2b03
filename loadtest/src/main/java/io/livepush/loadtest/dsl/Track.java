package io.livepush.loadtest.dsl;

import io.livepush.loadtest.stats.ContinuityChecker;
import io.livepush.loadtest.wire.RawMessage;
import io.livepush.proto.v1.Position;
import java.nio.charset.StandardCharsets;

/**
 * One membership of a user in a channel: the seq it started from, the continuity check since, and how
 * many replayed messages (after a recovered resume) are still to come. Lives across a reconnect, so a
 * resume continues the same check. Used on the session's loop.
 */
final class Track {
    final String channel;
    private final String epoch;
    /** The channel and the epoch as messages carry them, so that each message is matched without decoding it. */
    private final byte[] channelBytes;

    private final byte[] epochBytes;
    private final long base;
    private final ContinuityChecker checker;
    private long replayLeft;

    Track(String channel, String epoch, long lastSeq) {
        this.channel = channel;
        this.epoch = epoch;
        this.channelBytes = channel.getBytes(StandardCharsets.UTF_8);
        this.epochBytes = epoch.getBytes(StandardCharsets.UTF_8);
        this.base = lastSeq;
        this.checker = new ContinuityChecker(lastSeq);
    }

    /** Where a resume asks to continue from. */
    Position position() {
        return Position.newBuilder().setEpoch(epoch).setSeq(checker.last()).build();
    }

    boolean isChannelOf(RawMessage m) {
        return m.channelIs(channelBytes);
    }

    boolean isEpochOf(RawMessage m) {
        return m.epochIs(epochBytes);
    }

    /** The channel's last seq when the membership began. */
    long base() {
        return base;
    }

    void resumed(long replayed) {
        replayLeft = replayed;
    }

    /** Whether the next message is a replayed one (its send time is long past: no latency sample). */
    boolean takeReplay() {
        if (replayLeft > 0) {
            replayLeft--;
            return true;
        }
        return false;
    }

    boolean accept(long seq) {
        return checker.accept(seq) == ContinuityChecker.Verdict.IN_ORDER;
    }

    long last() {
        return checker.last();
    }

    ContinuityChecker checker() {
        return checker;
    }

    /** Messages this membership should have had so far. */
    long expected() {
        return checker.last() - base;
    }
}
