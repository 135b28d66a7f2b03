package io.livepush.server.channel;

import io.livepush.proto.v1.MemberJoined;
import io.livepush.proto.v1.MemberLeft;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.session.Session;
import java.time.Clock;

/**
 * {@code member_joined} / {@code member_left} pushes to a room's members, for rooms whose namespace has
 * join-leave-events, within the room's {@link MemberEventCap}. On the room's home: a join is announced before the
 * joiner is added and a leave after the leaver is removed, so each goes to the others only.
 */
final class MemberEvents {
    private final FanOut fanOut;
    private final Clock clock;

    MemberEvents(FanOut fanOut, Clock clock) {
        this.fanOut = fanOut;
        this.clock = clock;
    }

    /** @param members the room's members once the joiner is in */
    void joined(ChannelState st, Subscription sub, int members) {
        MemberEventCap cap = st.memberEvents();
        if (cap != null && cap.tryAcquire(clock.millis())) {
            fanOut.push(
                    st,
                    ServerFrame.newBuilder()
                            .setMemberJoined(MemberJoined.newBuilder()
                                    .setRoom(st.name)
                                    .setUserId(userId(sub))
                                    .setMembers(members)
                                    .setSkipped(cap.takeSkipped()))
                            .build());
        }
    }

    void left(ChannelState st, Subscription sub) {
        MemberEventCap cap = st.memberEvents();
        if (cap != null && cap.tryAcquire(clock.millis())) {
            fanOut.push(
                    st,
                    ServerFrame.newBuilder()
                            .setMemberLeft(MemberLeft.newBuilder()
                                    .setRoom(st.name)
                                    .setUserId(userId(sub))
                                    .setMembers(st.roomMembers())
                                    .setSkipped(cap.takeSkipped()))
                            .build());
        }
    }

    /** Read on the home: the session's claims were set on its loop before the attach was queued here. */
    private static String userId(Subscription sub) {
        Session session = Session.of(sub.connection());
        return session == null ? "" : session.userId();
    }
}
