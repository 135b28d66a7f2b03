package io.livepush.server.handler;

import com.google.protobuf.ByteString;
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
import io.livepush.server.channel.ChannelNames;
import io.livepush.server.channel.Outbox;
import io.livepush.server.channel.Subscription;
import io.livepush.server.proxy.ProxyChannels;
import io.livepush.server.proxy.ProxyHook;
import io.livepush.server.session.Authorizer;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;

/**
 * Join, leave and switch (PROTOCOL.md semantics 3). A connection is in at most one room. A switch
 * keeps the old room until the new one is attached; then, on the connection's loop, it stops the old
 * room's delivery before writing {@code joined}, so nothing of the old room follows that answer. Where the
 * join hook applies, the backend decides instead of the caps; the state checks run again on its answer,
 * since other requests of the connection ran meanwhile.
 */
final class RoomHandler {
    private final ChannelEngine registry;
    private final Authorizer authorizer;
    private final Replies replies;
    private final Failures failures;
    private final ProxyChannels proxy;

    RoomHandler(
            ChannelEngine registry, Authorizer authorizer, Replies replies, Failures failures, ProxyChannels proxy) {
        this.proxy = proxy;
        this.registry = registry;
        this.authorizer = authorizer;
        this.replies = replies;
        this.failures = failures;
    }

    void join(Session s, int id, JoinRoom req) {
        enter(s, id, req.getRoom(), req.getToken(), req.hasSince() ? req.getSince() : null, false);
    }

    void switchRoom(Session s, int id, SwitchRoom req) {
        enter(s, id, req.getRoom(), req.getToken(), req.hasSince() ? req.getSince() : null, true);
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

    private void enter(Session s, int id, String room, String token, Position since, boolean isSwitch) {
        if (BackgroundHandler.refuses(s, replies, id)) {
            return;
        }
        Denial denial = roomConflict(s, room, isSwitch);
        if (denial == null && ChannelNames.isValid(room) && proxy.decides(ProxyHook.JOIN, room, token)) {
            denial = subscribedConflict(s, room);
            if (denial == null) {
                askBackend(s, id, room, since, isSwitch);
                return;
            }
        }
        if (denial == null) {
            denial = authorizer.check(s, Operation.JOIN, room, token);
        }
        if (denial == null) {
            denial = subscribedConflict(s, room);
        }
        if (denial != null) {
            replies.error(s.channel(), id, denial.code(), denial.message()); // the old room stays
            return;
        }
        attach(s, id, room, since, ByteString.EMPTY);
    }

    private void askBackend(Session s, int id, String room, Position since, boolean isSwitch) {
        String previous = s.room() == null ? "" : s.room().channel();
        proxy.ask(s, ProxyHook.JOIN, room, previous, decision -> {
            if (decision.disconnect()) {
                replies.fatal(
                        s.channel(),
                        id,
                        decision.denial().code(),
                        decision.denial().message());
                return;
            }
            // Another join or switch of the connection may have run while the backend decided.
            Denial denial = decision.denial() != null ? decision.denial() : conflict(s, room, isSwitch);
            if (denial != null) {
                replies.error(s.channel(), id, denial.code(), denial.message()); // the old room stays
            } else {
                attach(s, id, room, since, decision.info());
            }
        });
    }

    /** Why the connection's rooms and subscriptions do not allow this join or switch now, else null. */
    private static Denial conflict(Session s, String room, boolean isSwitch) {
        Denial denial = roomConflict(s, room, isSwitch);
        return denial != null ? denial : subscribedConflict(s, room);
    }

    private static Denial roomConflict(Session s, String room, boolean isSwitch) {
        Subscription current = s.room();
        if (!isSwitch && current != null) {
            return new Denial(ErrorCode.BAD_REQUEST, "already in room " + current.channel() + ": use switch_room");
        }
        if (isSwitch && current != null && current.channel().equals(room)) {
            return new Denial(ErrorCode.BAD_REQUEST, "already in room " + room);
        }
        return null;
    }

    private static Denial subscribedConflict(Session s, String room) {
        return s.subscription(room) != null
                ? new Denial(ErrorCode.BAD_REQUEST, "subscribed to " + room + ": unsubscribe before joining it")
                : null;
    }

    private void attach(Session s, int id, String room, Position since, ByteString info) {
        Subscription old = s.room();
        Subscription sub = new Subscription(Outbox.of(s.channel()), room, true, since != null, info);
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
                    replies.write(
                            s.channel(),
                            id,
                            ServerFrame.newBuilder()
                                    .setJoined(joined(room, a, previous).setInfo(info)));
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
