package io.livepush.loadtest.dsl;

import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.wire.RawMessage;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.Subscribed;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What one user receives, checked: its memberships ({@link Track}s, kept across a reconnect so a
 * resume continues the same check), latency and continuity of every message, messages of channels it
 * is not in (strays) or of another epoch than its membership's, and a wait for a seq. On the session's
 * loop, except the volatile progress that the driver polls.
 */
final class Memberships {
    private final Harness harness;
    private final Map<String, Track> tracks = new HashMap<>();
    /** The membership of the last message, tried first: the next one is almost always of the same channel. */
    private Track lastTrack;

    private Totals ended = Totals.NONE;
    private String room;
    private boolean joinedOnce;
    private Track seqWait;
    private long seqWaitTarget;
    private Runnable afterSeq;
    private volatile String watchedRoom;
    private volatile long watchedSeq;

    Memberships(Harness harness) {
        this.harness = harness;
    }

    /** The room the user is in (or was in before it disconnected), null if none. */
    String room() {
        return room;
    }

    boolean joinedOnce() {
        return joinedOnce;
    }

    /** Where a resume of {@code channel} continues from, null if the user was never in it. */
    Position position(String channel) {
        Track t = tracks.get(channel);
        return t == null ? null : t.position();
    }

    /** Whether the user has every acknowledged message of its room; any thread. */
    boolean caughtUp() {
        String r = watchedRoom;
        return r == null || watchedSeq >= harness.lastAcked(r);
    }

    /** A {@code joined} answer, to a join ({@code since} if it resumed) or a switch ({@code previous} set). */
    void joined(RoomJoined j, Position since) {
        if (!j.getPrevious().isEmpty()) {
            end(j.getPrevious());
        }
        Track t = tracks.get(j.getRoom());
        if (since != null && j.getRecovered() && t != null) {
            t.resumed(j.getReplayed());
        } else {
            if (since != null) {
                harness.countNotRecovered();
            }
            end(j.getRoom());
            t = new Track(j.getRoom(), j.getEpoch(), j.getLastSeq());
            tracks.put(j.getRoom(), t);
        }
        room = j.getRoom();
        joinedOnce = true;
        watchedSeq = t.last();
        watchedRoom = room;
    }

    /** A {@code subscribed} answer: a new membership, its check starting from the answer's {@code last_seq}. */
    void subscribed(Subscribed s) {
        end(s.getChannel());
        tracks.put(s.getChannel(), new Track(s.getChannel(), s.getEpoch(), s.getLastSeq()));
        joinedOnce = true; // a subscriber too, for the summary's count
    }

    void left(String channel) {
        end(channel);
        if (channel.equals(room)) {
            room = null;
            watchedRoom = null;
        }
    }

    private void end(String channel) {
        Track t = tracks.remove(channel);
        if (t == lastTrack) {
            lastTrack = null;
        }
        if (t != null) {
            ended = ended.plus(Totals.of(t.checker(), t.expected()));
        }
    }

    /** A message as it lies in the read; {@code nowNanos}: when the read arrived. */
    void message(RawMessage m, long nowNanos) {
        Track t = trackOf(m);
        if (t == null) {
            harness.countStray();
            return;
        }
        if (!t.isEpochOf(m)) {
            // Another sequence altogether: its seq says nothing about this membership's continuity.
            harness.countWrongEpoch();
            return;
        }
        if (t.takeReplay() || m.payloadLength() < Payloads.MIN_BYTES) {
            harness.stats().deliveredUntimed();
        } else {
            harness.stats().delivered(m.sentNanos(), nowNanos);
        }
        if (!t.accept(m.seq())) {
            harness.stats().seqAnomaly();
        }
        if (t.channel.equals(room)) {
            watchedSeq = t.last();
        }
        if (seqWait == t && t.last() >= seqWaitTarget) {
            Runnable next = afterSeq;
            seqWait = null;
            afterSeq = null;
            next.run();
        }
    }

    /** The membership a message belongs to, or null; a user has a few, so they are compared one by one. */
    private Track trackOf(RawMessage m) {
        if (lastTrack != null && lastTrack.isChannelOf(m)) {
            return lastTrack;
        }
        for (Track t : tracks.values()) {
            if (t.isChannelOf(m)) {
                lastTrack = t;
                return t;
            }
        }
        return null;
    }

    /** Runs {@code next} once every message of {@code channel} up to {@code seq} is in. */
    void awaitSeq(String channel, long seq, Runnable next) {
        await(track(channel), seq, next);
    }

    /** Runs {@code next} once {@code n} messages of {@code channel} are in since the membership began. */
    void awaitMessages(String channel, long n, Runnable next) {
        Track t = track(channel);
        await(t, t.base() + n, next);
    }

    private Track track(String channel) {
        Track t = tracks.get(channel);
        if (t == null) {
            throw new IllegalStateException("not in " + channel);
        }
        return t;
    }

    private void await(Track t, long seq, Runnable next) {
        if (t.last() >= seq) {
            next.run();
        } else {
            seqWait = t;
            seqWaitTarget = seq;
            afterSeq = next;
        }
    }

    /**
     * The continuity of every membership; with {@code heldToEnd}, the current ones must also have
     * reached {@code finalSeq(channel)}. Call once, after the event loops terminated.
     */
    Totals finish(boolean heldToEnd, ToLongFunction<String> finalSeq) {
        Totals all = ended;
        for (Track t : tracks.values()) {
            if (heldToEnd) {
                t.checker().expectUpTo(finalSeq.applyAsLong(t.channel));
            }
            all = all.plus(Totals.of(t.checker(), t.expected()));
        }
        return all;
    }
}
