package io.livepush.server.store;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import java.io.Closeable;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The persisted, per-channel message history: a bounded resume cache, not the system of record. When
 * it is over capacity the oldest history goes (whole channels, least recently published first, each
 * coming back with a new epoch) rather than a publish being refused.
 *
 * <p>Threading: all calls for one channel come from that channel's home thread (single writer), but
 * different channels are used from different threads at once, so implementations must be safe for
 * concurrent use across channels. A caller that keeps a channel's {@link ChannelMeta} (the home, while
 * the channel is in use) passes it back in and takes the one each write returns.
 */
public interface MessageLog extends Closeable {

    /** Messages stored by one write, with the channel's metadata after it. */
    record Appended(ChannelMeta meta, List<Message> messages) {}

    /** An idempotency key stored with message {@code seq}, published at {@code timestampMs}. */
    record RecentKey(String key, long seq, long timestampMs) {}

    /** A channel to evict, with the metadata it was chosen by: it goes only if still unchanged. */
    record Victim(String channel, ChannelMeta meta) {}

    /** The channel's metadata on disk; empty for a channel that never had a message (or was evicted). */
    Optional<ChannelMeta> find(String channel);

    /**
     * Where the channel stands: its metadata on disk or, for a channel with none, where it would stand
     * (epoch, no message) — written by nothing: the first message stores it with that epoch.
     */
    ChannelMeta current(String channel);

    /**
     * Stores the channel's next messages in order (kind, payload, publisher and timestamp from each
     * draft; channel, epoch and seq assigned here), all or none, then trims to the count retention.
     *
     * @param current the channel's metadata as last returned by this log
     * @return the stored messages with channel, epoch and seq set, and the metadata after them
     * @throws StoreFullException when the files cannot take them even past their capacity
     */
    default Appended appendAll(ChannelMeta current, String channel, List<Message> drafts) {
        return appendAll(current, channel, drafts, Collections.nCopies(drafts.size(), ""));
    }

    /**
     * {@link #appendAll(ChannelMeta, String, List)}, storing with each draft the idempotency key of its
     * publish ({@code ""}: none) for {@link #recentKeys}.
     */
    Appended appendAll(ChannelMeta current, String channel, List<Message> drafts, List<String> idempotencyKeys);

    /**
     * The idempotency keys stored with the channel's newest messages published at or after
     * {@code sinceMs}, oldest first, looking at {@code maxMessages} messages at most: how a channel's
     * keys outlive the process (a crash most of all, when clients retry what they got no answer for).
     */
    List<RecentKey> recentKeys(ChannelMeta meta, String channel, long sinceMs, int maxMessages);

    /** {@link #appendAll(ChannelMeta, String, List)} from the channel's metadata as stored. */
    default List<Message> appendAll(String channel, List<Message> drafts) {
        return appendAll(current(channel), channel, drafts).messages();
    }

    /** One message, as {@link #appendAll(String, List)}. */
    default Message append(String channel, String kind, ByteString payload, String publisher, long timestampMs) {
        return appendAll(
                        channel,
                        List.of(Message.newBuilder()
                                .setKind(kind)
                                .setPayload(payload)
                                .setPublisher(publisher)
                                .setTimestampMs(timestampMs)
                                .build()))
                .get(0);
    }

    /**
     * The kept messages with {@code fromSeq <= seq <= toSeq} of a channel standing at {@code meta},
     * oldest first, at most {@code max}. Each has channel and epoch set.
     */
    List<Message> read(ChannelMeta meta, String channel, long fromSeq, long toSeq, int max);

    /** {@link #read(ChannelMeta, String, long, long, int)} at the channel's metadata as stored. */
    default List<Message> read(String channel, long fromSeq, long toSeq, int max) {
        return read(current(channel), channel, fromSeq, toSeq, max);
    }

    /** Drops the channel's messages older than the age retention (by the store's clock); returns the new metadata. */
    ChannelMeta trimExpired(ChannelMeta current, String channel);

    /** The age after which the channel's messages are dropped (its namespace's, asked now). */
    Duration retentionMaxAge(String channel);

    /** Whether it holds more channels or messages than its capacity: time to {@link #planEviction}. */
    boolean overCapacity();

    /**
     * The channels to evict to get back under capacity, least recently published first, never one
     * that {@code spared} (those someone follows); every channel that has no metadata afterwards comes
     * back with a new epoch. Scans the channel table: call it off the home threads, then
     * {@link #evict} each on its home.
     */
    List<Victim> planEviction(Predicate<String> spared);

    /** Removes the channel's history and metadata, unless it changed since {@code victim} was chosen. */
    boolean evict(Victim victim);

    /** Every channel with metadata (a sweep off the home threads: act on each on its home). */
    void forEachChannel(BiConsumer<String, ChannelMeta> action);

    /** Messages currently stored, all channels together. */
    long messageCount();

    /** Channels with metadata. */
    long channelCount();

    long maxMessages();

    long maxChannels();
}
