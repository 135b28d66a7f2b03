package io.livepush.server.channel;

import io.livepush.server.channel.Subscription.Standing;
import io.livepush.server.store.ChannelMeta;
import io.livepush.server.store.MessageLog;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel's live state, from its first use until {@link ChannelStates} releases it: members,
 * queued writes, recent frames, idempotency keys, and its metadata as last stored. Touched only by
 * the channel's home thread, except its mailbox. Kept small, with every part made on first use: a
 * server with a million inboxes has a million of these while they are busy.
 */
final class ChannelState {
    final String name;
    final EventExecutor home;
    final ChannelMailbox mailbox = new ChannelMailbox();
    final RecentFrames recent;
    private final LoopFlushers flushers;
    private List<LoopMembers> groups;
    private IdempotencyCache idempotency;
    private int roomMembers;
    private int subscribers;
    private int peakFollowers;
    /** The channel's metadata as last stored or read; null until needed, or after an eviction. */
    ChannelMeta meta;
    /** Where this node stands in the channel's shared log; null with the embedded store. */
    LiveSequence live;
    /** When the channel last had a publish or a member leave, for releasing it once idle. */
    long lastActiveMs;
    /** Its namespace's {@code presence}: false, and the room reports no members and keeps no presence records. */
    final boolean countsPresence;
    /** Null unless its namespace has join-leave-events. */
    private final MemberEventCap memberEvents;

    ChannelState(
            String name,
            EventExecutor home,
            RecentFrames recent,
            LoopFlushers flushers,
            long nowMs,
            boolean countsPresence,
            boolean joinLeaveEvents) {
        this.name = name;
        this.countsPresence = countsPresence;
        this.memberEvents = joinLeaveEvents ? new MemberEventCap() : null;
        this.home = home;
        this.recent = recent;
        this.flushers = flushers;
        this.lastActiveMs = nowMs;
    }

    /** The channel's metadata: as last stored, or read from {@code log} on first need. */
    ChannelMeta meta(MessageLog log) {
        if (meta == null) {
            meta = log.current(name);
        }
        return meta;
    }

    List<LoopMembers> groups() {
        return groups == null ? List.of() : groups;
    }

    int roomMembers() {
        return roomMembers;
    }

    int subscribers() {
        return subscribers;
    }

    /** The cap of its join/leave events; null where its namespace has none. */
    MemberEventCap memberEvents() {
        return memberEvents;
    }

    /** The room members that presence reports: none where the namespace counts no presence. */
    int presentMembers() {
        return countsPresence ? roomMembers : 0;
    }

    boolean hasMembers() {
        return roomMembers + subscribers > 0;
    }

    /**
     * Whether its recent frames are worth keeping: it has had more than one follower since it became
     * live, so a resume after a drop is many readers of the same messages. One follower (a user's
     * inbox) resumes from the store, and a million inboxes hold no frames.
     */
    boolean sharesRecentFrames() {
        return peakFollowers > 1;
    }

    /** The idempotency keys, made on the first publish that has one. */
    IdempotencyCache idempotency(long windowMs, int maxKeys) {
        if (idempotency == null) {
            idempotency = new IdempotencyCache(windowMs, maxKeys);
        }
        return idempotency;
    }

    /** The keys remembered, or null when no publish had one. */
    IdempotencyCache idempotencyIfAny() {
        return idempotency;
    }

    /**
     * Counts {@code s} in presence and, unless its connection is in the background, puts it in fan-out.
     * False when it left before its attach got here.
     */
    /** Whether {@link #add} would take {@code s}: it is still on its way in, not gone before it got here. */
    static boolean admits(Subscription s) {
        return s.standing == Standing.PENDING || s.standing == Standing.PENDING_PARKED;
    }

    boolean add(Subscription s) {
        switch (s.standing) {
            case PENDING -> {
                groupOf(s.connection().eventLoop()).add(s);
                s.standing = Standing.MEMBER;
            }
            case PENDING_PARKED -> s.standing = Standing.PARKED;
            default -> {
                return false;
            }
        }
        if (s.isRoom()) {
            roomMembers++;
        } else {
            subscribers++;
        }
        peakFollowers = Math.max(peakFollowers, roomMembers + subscribers);
        return true;
    }

    /** Takes {@code s} out for good; true if it was counted in presence. */
    boolean remove(Subscription s) {
        Standing was = s.standing;
        s.standing = Standing.LEFT;
        if (was == Standing.MEMBER) {
            removeFromGroup(s);
        } else if (was != Standing.PARKED) {
            return false;
        }
        if (s.isRoom()) {
            roomMembers--;
        } else {
            subscribers--;
        }
        return true;
    }

    /**
     * Background mode: takes {@code s} out of fan-out, so that deliveries cost it nothing, and keeps it
     * counted in presence. One still on its way in enters parked.
     */
    void park(Subscription s) {
        if (s.standing == Standing.MEMBER) {
            removeFromGroup(s);
            s.standing = Standing.PARKED;
        } else if (s.standing == Standing.PENDING) {
            s.standing = Standing.PENDING_PARKED;
        }
    }

    private void removeFromGroup(Subscription s) {
        EventLoop loop = s.connection().eventLoop();
        for (int i = 0; i < groups().size(); i++) {
            LoopMembers g = groups.get(i);
            if (g.loop == loop && g.remove(s)) {
                if (g.isEmpty()) {
                    groups.remove(i);
                }
                return;
            }
        }
    }

    private LoopMembers groupOf(EventLoop loop) {
        for (LoopMembers g : groups()) {
            if (g.loop == loop) {
                return g;
            }
        }
        if (groups == null) {
            groups = new ArrayList<>(2);
        }
        LoopMembers g = new LoopMembers(loop, flushers.of(loop));
        groups.add(g);
        return g;
    }
}
