package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

/**
 * Where a channel's history stands.
 *
 * @param channelId a compact id the store uses in its message keys; 0 for a channel not stored yet
 * @param epoch changes only when the channel's history was lost, reset or evicted
 * @param firstSeq the oldest seq still kept ({@code lastSeq + 1} when nothing is kept)
 * @param lastSeq the newest seq ever assigned (0 before the first message)
 * @param lastPublishMs when the newest message was stored (0 before the first): eviction takes the
 *     least recently published channels first
 */
public record ChannelMeta(long channelId, String epoch, long firstSeq, long lastSeq, long lastPublishMs) {
    public ChannelMeta {
        requireNonNull(epoch, "epoch");
    }

    /** A channel that has no message and nothing on disk: what it reports until its first message. */
    static ChannelMeta unborn(String epoch) {
        return new ChannelMeta(0, epoch, 1, 0, 0);
    }

    /** False for a channel that has nothing on disk yet. */
    public boolean stored() {
        return channelId != 0;
    }

    /** Messages kept. */
    public long kept() {
        return lastSeq - firstSeq + 1;
    }

    public boolean holds(long seq) {
        return seq >= firstSeq && seq <= lastSeq;
    }
}
