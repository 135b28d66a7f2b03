package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * One connection following one channel, as a room member or as a subscriber.
 *
 * <p>The channel's home only reads the final fields (to group members by event loop). The mutable
 * fields belong to the connection's event loop and are changed by {@link ReplayThenLive} alone (and
 * {@link LoopFlusher} for its flag): they gate live delivery so that replay and live messages meet
 * without holes or duplicates.
 */
public final class Subscription {
    private final ChannelHandlerContext out;
    private final Channel connection;
    private final String channel;
    private final boolean room;

    /** False once the connection left the channel: queued deliveries for it are skipped. */
    boolean active = true;
    /** True while history is being replayed: live messages are skipped, the replay covers them. */
    boolean replaying;
    /** Highest seq written to the connection; live messages at or below it are duplicates. */
    long deliveredSeq;
    /** True while fan-out has written to the connection and its {@link LoopFlusher} has not flushed it yet. */
    boolean flushPending;

    /**
     * @param out the pipeline context deliveries are written from (the connection is its channel)
     * @param resuming whether the attach asks to resume ({@code since} given): live delivery waits for the replay
     */
    public Subscription(ChannelHandlerContext out, String channel, boolean room, boolean resuming) {
        this.out = requireNonNull(out, "out");
        this.connection = out.channel();
        this.channel = requireNonNull(channel, "channel");
        this.room = room;
        this.replaying = resuming;
    }

    public Channel connection() {
        return connection;
    }

    /** Where fan-out writes and flushes this connection's deliveries. */
    ChannelHandlerContext out() {
        return out;
    }

    public String channel() {
        return channel;
    }

    public boolean isRoom() {
        return room;
    }
}
