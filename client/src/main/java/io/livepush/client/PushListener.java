package io.livepush.client;

import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.DataChanged;
import io.livepush.proto.v1.MemberJoined;
import io.livepush.proto.v1.MemberLeft;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.RoomJoined;

/**
 * Callbacks from a {@link PushClient}. They run one at a time, in order: by default on the client's
 * I/O thread (an event loop thread named {@code livepush-client-…}, or one of the {@link
 * PushClientBuilder#eventLoopGroup shared group}), where they must not block; with {@link
 * PushClientBuilder#callbackExecutor} on that executor. A callback that throws is logged (logger
 * {@code io.livepush.client.PushClient}, {@link System.Logger}) and skipped: delivery, heartbeats and
 * reconnects go on.
 */
public interface PushListener {

    /**
     * A message of a joined room or subscribed channel. Per channel, each seq is delivered exactly
     * once and in increasing order, across reconnects and hole filling.
     */
    default void onMessage(String channel, Message message) {}

    /**
     * The client could not continue {@code channel} without a gap: the server lost the history the
     * client needed (a resume answered {@code recovered = false}, or history was truncated or its
     * epoch changed). The application must reload the channel's state; delivery goes on from the
     * server's current position in {@code epoch}.
     */
    default void onReset(String channel, String epoch) {}

    /**
     * A room was joined or switched to, by the application or by the automatic rejoin after a
     * reconnect. It comes before any message of that room, and after the last message of the room a
     * switch left ({@link RoomJoined#getPrevious()}).
     */
    default void onJoined(RoomJoined joined) {}

    /** An applet's running content, from a join answer or pushed on change. */
    default void onAppletState(AppletState state) {}

    /**
     * Someone joined a room this client is in, on any node, in a namespace with join-leave events (at
     * most 10 such events per second per room; {@link MemberJoined#getSkipped()} counts those dropped).
     * {@link MemberJoined#getInfo()} is what the server's join hook attached to the joiner.
     */
    default void onMemberJoined(MemberJoined joined) {}

    /** Someone left a room this client is in (leave, switch away, disconnect); as {@link #onMemberJoined}. */
    default void onMemberLeft(MemberLeft left) {}

    /** Data items of a space changed on another of the user's devices. */
    default void onDataChanged(DataChanged change) {}

    /** The connection state changed. */
    default void onConnectionState(ConnectionState state) {}

    /** An error that answers no request of the application: a pushed {@code Error}, a failed reconnect. */
    default void onError(Throwable error) {}
}
