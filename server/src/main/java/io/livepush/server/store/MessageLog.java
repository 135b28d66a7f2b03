package io.livepush.server.store;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import java.io.Closeable;
import java.util.List;
import java.util.Optional;

/**
 * The persisted, per-channel message history.
 *
 * <p>Threading: all calls for one channel come from that channel's home thread (single writer), but
 * different channels are used from different threads at once, so implementations must be safe for
 * concurrent use across channels.
 */
public interface MessageLog extends Closeable {

    /** The channel's metadata, if it has any (a channel that never had a message has none). */
    Optional<ChannelMeta> find(String channel);

    /** The channel's metadata, creating it with a fresh epoch and no messages if it has none. */
    ChannelMeta open(String channel);

    /**
     * Stores the channel's next message (seq = lastSeq + 1), then trims to the count retention.
     *
     * @return the stored message with channel, epoch and seq set
     */
    Message append(String channel, String kind, ByteString payload, String publisher, long timestampMs);

    /**
     * Stores the channel's next messages in order, each as {@link #append} would (kind, payload,
     * publisher and timestamp from its draft; channel, epoch and seq assigned here), but all or none:
     * for a home thread with several publishes of the channel queued, which then pays for one
     * metadata update instead of one per message.
     *
     * @return the stored messages with channel, epoch and seq set, in the order of {@code drafts}
     */
    List<Message> appendAll(String channel, List<Message> drafts);

    /**
     * The kept messages with {@code fromSeq <= seq <= toSeq}, oldest first, at most {@code max}.
     * Each has channel and epoch set.
     */
    List<Message> read(String channel, long fromSeq, long toSeq, int max);

    /** Drops the channel's messages older than the age retention (by the store's clock); returns how many went. */
    int trimExpired(String channel);

    /** Names of all channels with metadata (for the retention sweep). */
    List<String> channels();

    /** Messages currently stored, all channels together. */
    long messageCount();
}
