package io.livepush.server.channel;

import io.livepush.proto.v1.MemberJoined;
import io.livepush.proto.v1.MemberLeft;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.session.Session;
import java.time.Clock;

/**
 * {@code member_joined} / {@code member_left} pushes to a room's members on every node, for rooms whose namespace
 * has join-leave-events, within the room's {@link MemberEventCap} on each node. On the room's home: a join is
 * announced before the joiner is added and a leave after the leaver is removed, so each goes to the others only;
 * other nodes get this node's events through {@link Announcer} and hand them to their members ({@link #relayed}).
 */
final class MemberEvents {
    /** Where this node's events go besides its own members: the other nodes of a cluster. */
    @FunctionalInterface
    interface Announcer {
        Announcer NONE = (room, event) -> {};

        void announce(String room, ServerFrame event);
    }

    private final FanOut fanOut;
    private final Clock clock;
    private final ClusterPresence presence;
    private final Announcer announcer;

    MemberEvents(FanOut fanOut, Clock clock, ClusterPresence presence, Announcer announcer) {
        this.fanOut = fanOut;
        this.clock = clock;
        this.presence = presence;
        this.announcer = announcer;
    }

    /** @param members the room's members on this node once the joiner is in */
    void joined(ChannelState st, Subscription sub, int members) {
        MemberEventCap cap = st.memberEvents();
        if (cap != null && cap.tryAcquire(clock.millis())) {
            send(
                    st,
                    ServerFrame.newBuilder()
                            .setMemberJoined(MemberJoined.newBuilder()
                                    .setRoom(st.name)
                                    .setUserId(userId(sub))
                                    .setMembers(clusterCount(st, members))
                                    .setSkipped(cap.takeSkipped())
                                    .setInfo(sub.info()))
                            .build());
        }
    }

    void left(ChannelState st, Subscription sub) {
        MemberEventCap cap = st.memberEvents();
        if (cap != null && cap.tryAcquire(clock.millis())) {
            send(
                    st,
                    ServerFrame.newBuilder()
                            .setMemberLeft(MemberLeft.newBuilder()
                                    .setRoom(st.name)
                                    .setUserId(userId(sub))
                                    .setMembers(clusterCount(st, st.roomMembers()))
                                    .setSkipped(cap.takeSkipped()))
                            .build());
        }
    }

    /**
     * Another node's event, for this node's members within this node's cap of the room: its {@code skipped} adds
     * those this node dropped, so that a member learns of every event it did not get.
     */
    void relayed(ChannelState st, ServerFrame event) {
        MemberEventCap cap = st.memberEvents();
        boolean memberEvent = event.hasMemberJoined() || event.hasMemberLeft();
        if (!memberEvent || cap == null || !cap.tryAcquire(clock.millis())) {
            return;
        }
        int skipped = cap.takeSkipped();
        if (skipped == 0) {
            fanOut.push(st, event);
            return;
        }
        ServerFrame.Builder frame = event.toBuilder();
        if (frame.hasMemberJoined()) {
            MemberJoined.Builder joined = frame.getMemberJoinedBuilder();
            joined.setSkipped(joined.getSkipped() + skipped);
        } else {
            MemberLeft.Builder left = frame.getMemberLeftBuilder();
            left.setSkipped(left.getSkipped() + skipped);
        }
        fanOut.push(st, frame.build());
    }

    private void send(ChannelState st, ServerFrame event) {
        fanOut.push(st, event);
        announcer.announce(st.name, event);
    }

    /** This node's count with the other nodes' as last read; 0 where the room does not count presence. */
    private long clusterCount(ChannelState st, int here) {
        return st.countsPresence ? here + presence.lastKnown(st.name).roomMembers() : 0;
    }

    /** Read on the home: the session's claims were set on its loop before the attach was queued here. */
    private static String userId(Subscription sub) {
        Session session = Session.of(sub.connection());
        return session == null ? "" : session.userId();
    }
}
