package io.livepush.server.channel;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.ServerFrame;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A message log that several nodes share (Redis): it assigns each channel's seqs once for all of them,
 * keeps the history, and sends every node the live messages of the channels it follows. Nothing here
 * blocks; stages complete on the log's own threads.
 */
public interface SharedLog {

    /** Where a node gets the live messages of the channels it follows. Called from the log's threads. */
    interface Feed {
        /** A live message, per channel in seq order; one may be missing (the feed is at most once). */
        void message(String channel, Message message);

        /** An applet of the room changed, after message {@code afterSeq} and before the next one. */
        void applet(String room, long afterSeq, AppletState state);

        /** The channel's feed (re)started: messages sent while it was down are missing. */
        void followed(String channel);

        /** Another node's {@code member_joined} or {@code member_left} of the room; at most once, never stored. */
        void memberEvent(String room, ServerFrame event);
    }

    /** Sends live messages to {@code feed} from now on; once, before the first {@link #follow}. */
    void feedTo(Feed feed);

    /**
     * Assigns the channel's next seq, stores the message and sends it to every node following the channel.
     *
     * @param idempotencyKey {@code ""} for none; a repeated one gets the first publish's ack
     */
    CompletionStage<PublishAck> publish(
            String channel, String kind, ByteString payload, String publisher, String idempotencyKey);

    /** Where the channel stands; a channel the log has nothing of gets its epoch now (kept while it is in use). */
    CompletionStage<LogHead> head(String channel);

    /**
     * The log lost messages of {@code lostEpoch} that this node delivered (a failover to a replica that had not got
     * them): the channel starts again under a new epoch, unless it has moved on from that one already. Where it
     * then stands.
     */
    CompletionStage<LogHead> reset(String channel, String lostEpoch);

    /** Where the channel stands, without creating anything: empty when the log has nothing of it. */
    CompletionStage<Optional<LogHead>> find(String channel);

    /** The kept messages with seq above {@code afterSeq}, oldest first, at most {@code limit}. */
    CompletionStage<List<Message>> read(String channel, long afterSeq, int limit);

    /** The room's applets as they stand. */
    CompletionStage<List<AppletState>> applets(String room);

    /** Starts the channel's live feed to this node; the stage completes once later messages will reach it. */
    CompletionStage<Void> follow(String channel);

    /** Stops the channel's live feed to this node. */
    void unfollow(String channel);

    /**
     * Sends the other nodes that follow the room a member event of this node ({@link Feed#memberEvent}): at most
     * once, never stored, and never back to this node.
     */
    void announce(String room, ServerFrame event);
}
