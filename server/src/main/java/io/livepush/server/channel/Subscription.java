package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.netty.channel.Channel;

/**
 * One connection following one channel, as a room member or as a subscriber.
 *
 * <p>The channel's home reads the final fields (to group members by event loop) and alone changes
 * {@link #standing} and {@link #replaces}. The other mutable fields belong to the connection's event
 * loop and are changed by {@link ReplayThenLive} alone: they gate live delivery so that replay and
 * live messages meet without holes or duplicates.
 */
public final class Subscription {
    private final Outbox outbox;
    private final Channel connection;
    private final String channel;
    private final boolean room;
    /** What the join proxy hook attached to the member for this room; empty without. */
    private final ByteString info;

    /** False once the connection left the channel: queued deliveries for it are skipped. */
    boolean active = true;
    /** True while history is being replayed: live messages are skipped, the replay covers them. */
    boolean replaying;
    /** Highest seq written to the connection; live messages at or below it are duplicates. */
    long deliveredSeq;

    /** Where it stands in its channel's state; the home's ({@link ChannelState}). */
    Standing standing = Standing.PENDING;
    /** A foreground's: the subscription whose place it takes once attached; the home's, cleared when taken. */
    Subscription replaces;

    /** Where a subscription stands in its channel, as the home sees it. */
    enum Standing {
        /** Its attach has not reached the channel yet. */
        PENDING,
        /** As {@link #PENDING}, but the connection went to the background first: it enters {@link #PARKED}. */
        PENDING_PARKED,
        /** In fan-out and counted in presence. */
        MEMBER,
        /** Background mode: counted in presence, out of fan-out. */
        PARKED,
        /** Taken out (left, or its connection closed): an attach still on its way adds nothing. */
        LEFT
    }

    /**
     * @param outbox where deliveries to the connection are written ({@link Outbox#of})
     * @param resuming whether the attach asks to resume ({@code since} given): live delivery waits for the replay
     */
    public Subscription(Outbox outbox, String channel, boolean room, boolean resuming) {
        this(outbox, channel, room, resuming, ByteString.EMPTY);
    }

    /** @param info what the join proxy hook attached to the member, which other members see in its join event */
    public Subscription(Outbox outbox, String channel, boolean room, boolean resuming, ByteString info) {
        this.outbox = requireNonNull(outbox, "outbox");
        this.connection = outbox.connection();
        // A name decoded from a request is a new string per member; every member of a room keeping its own
        // would cost a string each (56 B at 19,000 idle members). Interned strings are collected once unused.
        this.channel = requireNonNull(channel, "channel").intern();
        this.room = room;
        this.replaying = resuming;
        this.info = requireNonNull(info, "info");
    }

    /**
     * A foreground's subscription to {@code old}'s channel: it takes {@code old}'s place there, counted in
     * presence as one with it, and live delivery waits for its replay.
     */
    public static Subscription replacing(Subscription old) {
        Subscription sub = new Subscription(old.outbox, old.channel, old.room, true, old.info);
        sub.replaces = old;
        return sub;
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

    ByteString info() {
        return info;
    }

    public boolean isRoom() {
        return room;
    }
}
