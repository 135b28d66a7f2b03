package io.livepush.server.channel;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.SeqRange;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What handlers, the admin API and applets ask of channels, whichever engine keeps them: the embedded
 * store of one node ({@link ChannelRegistry}) or a log shared by the nodes of a cluster
 * ({@link SharedLogChannels}). Results come back through a {@link Reply}; nothing here blocks.
 */
public interface ChannelEngine extends AutoCloseable {

    /**
     * Adds {@code sub} to its channel. On the connection's loop, {@code answer} then writes the
     * joined/subscribed answer, and the replay asked for with {@code since} (nullable), or live
     * delivery, starts right after it; or {@code failed} gets why it could not.
     */
    void attach(Subscription sub, Position since, Consumer<Attachment> answer, Consumer<Throwable> failed);

    /**
     * A foreground: {@code sub} ({@link Subscription#replacing}) takes its predecessor's place in the
     * channel without a change in presence, and {@code answer} gets, on the connection's loop, where the
     * channel stands after {@code since} (nullable), its first page to release. Nothing is delivered to
     * it until {@link ReplayThenLive#catchUp}: the connection's one answer for all its channels goes first.
     */
    void resume(Subscription sub, Position since, Consumer<Attachment> answer, Consumer<Throwable> failed);

    /** Stops delivery to {@code sub} at once, takes it out of its channel, then runs {@code then} on its loop. */
    void detach(Subscription sub, Runnable then);

    /**
     * Background mode: stops delivery to {@code sub} at once and takes it out of fan-out, so that the
     * channel's messages cost it nothing; it stays in the channel, counted in presence.
     */
    void park(Subscription sub);

    /**
     * Stores and delivers one message; the ack, or why not ({@link java.util.concurrent.RejectedExecutionException}
     * when busy), goes to {@code reply}.
     *
     * @param idempotencyKey {@code ""} for none
     */
    void publish(
            String channel,
            String kind,
            ByteString payload,
            String publisher,
            String idempotencyKey,
            Reply<PublishAck> reply);

    /** History with a have-set; {@code limit} 0 or above the server cap means the cap. Reads only. */
    void history(String channel, long sinceSeq, List<SeqRange> have, int limit, Reply<HistoryResult> reply);

    /** Where the channel stands, or empty when it has neither history nor members. Reads only. */
    void info(String channel, Reply<Optional<ChannelInfo>> reply);

    /** Where replays resume once a connection is writable again. */
    ReplayThenLive replay();

    /** Rooms with at least one member on this node. */
    long activeRooms();

    /** Room members and subscribers on this node, all channels together. */
    long subscriptions();

    /** Channel states in memory. */
    long activeChannels();

    /** Starts the engine's background work (sweeps, heartbeats). */
    void start();

    /** Stops the background work and releases what the channels hold; call once the homes have stopped. */
    @Override
    void close();
}
