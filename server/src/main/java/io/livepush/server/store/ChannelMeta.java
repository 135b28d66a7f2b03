package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

/**
 * Where a channel's history stands.
 *
 * @param channelId a compact id the store uses in its message keys
 * @param epoch changes only when the channel's history was lost or reset
 * @param firstSeq the oldest seq still kept ({@code lastSeq + 1} when nothing is kept)
 * @param lastSeq the newest seq ever assigned (0 before the first message)
 */
public record ChannelMeta(long channelId, String epoch, long firstSeq, long lastSeq) {
    public ChannelMeta {
        requireNonNull(epoch, "epoch");
    }

    public boolean holds(long seq) {
        return seq >= firstSeq && seq <= lastSeq;
    }
}
