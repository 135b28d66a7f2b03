package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;

/**
 * One connection following one channel, as a room member or as a subscriber.
 *
 * <p>The channel's home only reads the final fields (to group members by event loop). The mutable
 * fields belong to the connection's event loop and are changed by {@link ReplayThenLive} alone: they
 * gate live delivery so that replay and live messages meet without holes or duplicates.
 */
public final class Subscription {
    private final Outbox outbox;
    private final Channel connection;
    private final String channel;
    private final boolean room;

    /** False once the connection left the channel: queued deliveries for it are skipped. */
    boolean active = true;
    /** True while history is being replayed: live messages are skipped, the replay covers them. */
    boolean replaying;
    /** Highest seq written to the connection; live messages at or below it are duplicates. */
    long deliveredSeq;

    /**
     * @param outbox where deliveries to the connection are written ({@link Outbox#of})
     * @param resuming whether the attach asks to resume ({@code since} given): live delivery waits for the replay
     */
    public Subscription(Outbox outbox, String channel, boolean room, boolean resuming) {
        this.outbox = requireNonNull(outbox, "outbox");
        this.connection = outbox.connection();
        this.channel = requireNonNull(channel, "channel");
        this.room = room;
        this.replaying = resuming;
    }

    public Channel connection() {
        return connection;
    }

    /** Where fan-out writes this connection's deliveries. */
    Outbox outbox() {
        return outbox;
    }

    public String channel() {
        return channel;
    }

    public boolean isRoom() {
        return room;
    }
}
