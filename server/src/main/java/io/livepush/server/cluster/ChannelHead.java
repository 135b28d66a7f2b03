package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

/**
 * Where a channel stands in Redis.
 *
 * @param epoch changes when Redis lost the channel's meta (and so its history)
 * @param lastSeq the newest seq assigned in this epoch
 */
public record ChannelHead(String epoch, long lastSeq) {
    public ChannelHead {
        requireNonNull(epoch, "epoch");
    }
}
