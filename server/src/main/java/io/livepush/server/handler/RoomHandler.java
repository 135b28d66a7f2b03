package io.livepush.server.handler;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.LeaveRoom;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.RoomLeft;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.SwitchRoom;
import io.livepush.server.auth.Operation;
import io.livepush.server.channel.Attachment;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.Outbox;
import io.livepush.server.channel.Subscription;
import io.livepush.server.session.Authorizer;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;

/**
 * Join, leave and switch (PROTOCOL.md semantics 3). A connection is in at most one room. A switch
 * keeps the old room until the new one is attached; then, on the connection's loop, it stops the old
 * room's delivery before writing {@code joined}, so nothing of the old room follows that answer.
 */
final class RoomHandler {
    private final ChannelEngine registry;
    private final Authorizer authorizer;
    private final Replies replies;
    private final Failures failures;

    RoomHandler(ChannelEngine registry, Authorizer authorizer, Replies replies, Failures failures) {
        this.registry = registry;
        this.authorizer = authorizer;
        this.replies = replies;
        this.failures = failures;
    }

    void join(Session s, int id, JoinRoom req) {
        if (s.room() != null) {
            replies.error(
                    s.channel(),
                    id,
                    ErrorCode.BAD_REQUEST,
                    "already in room " + s.room().channel() + ": use switch_room");
            return;
        }
        enter(s, id, req.getRoom(), req.getToken(), req.hasSince() ? req.getSince() : null);
    }

    void switchRoom(Session s, int id, SwitchRoom req) {
        Subscription old = s.room();
        if (old != null && old.channel().equals(req.getRoom())) {
            replies.error(s.channel(), id, ErrorCode.BAD_REQUEST, "already in room " + req.getRoom());
            return;
        }
        enter(s, id, req.getRoom(), req.getToken(), req.hasSince() ? req.getSince() : null);
    }

    void leave(Session s, int id, LeaveRoom req) {
        Subscription room = s.room();
        if (room == null || !room.channel().equals(req.getRoom())) {
            replies.error(s.channel(), id, ErrorCode.NOT_IN_ROOM, "not in room " + req.getRoom());
            return;
        }
        s.room(null);
        ServerFrame.Builder left =
                ServerFrame.newBuilder().setLeft(RoomLeft.newBuilder().setRoom(req.getRoom()));
        registry.detach(room, () -> replies.send(s.channel(), id, left));
    }

    private void enter(Session s, int id, String room, String token, Position since) {
        if (BackgroundHandler.refuses(s, replies, id)) {
            return;
        }
        Denial denial = authorizer.check(s, Operation.JOIN, room, token);
        if (denial == null && s.subscription(room) != null) {
            denial = new Denial(ErrorCode.BAD_REQUEST, "subscribed to " + room + ": unsubscribe before joining it");
        }
        if (denial != null) {
            replies.error(s.channel(), id, denial.code(), denial.message()); // the old room stays
            return;
        }
        Subscription old = s.room();
        Subscription sub = new Subscription(Outbox.of(s.channel()), room, true, since != null);
        s.room(sub);
        registry.attach(
                sub,
                since,
                a -> {
                    String previous = "";
                    if (old != null) {
                        registry.detach(
                                old, () -> {}); // stops its delivery before `joined`: no old-room message after it
                        previous = old.channel();
                    }
                    replies.write(s.channel(), id, ServerFrame.newBuilder().setJoined(joined(room, a, previous)));
                },
                error -> {
                    if (s.room() == sub) {
                        s.room(old); // the old room stays
                        if (old != null && s.isBackground()) {
                            registry.park(old); // backgrounded while the switch was on its way
                        }
                    }
                    failures.answer(s.channel(), id, "join " + room, error);
                });
    }

    private static RoomJoined.Builder joined(String room, Attachment a, String previous) {
        return RoomJoined.newBuilder()
                .setRoom(room)
                .setEpoch(a.epoch())
                .setLastSeq(a.lastSeq())
                .setMembers(a.members())
                .setRecovered(a.recovered())
                .setReplayed(a.replayed())
                .setPrevious(previous)
                .addAllApplets(a.applets());
    }
}
