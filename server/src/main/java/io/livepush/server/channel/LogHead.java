package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

/**
 * Where a channel stands in a {@link SharedLog}.
 *
 * @param epoch changes only when the log lost the channel's history
 * @param firstSeq the oldest seq still kept ({@code lastSeq + 1} when none is)
 * @param lastSeq the newest seq assigned in this epoch (0 before the first message)
 */
public record LogHead(String epoch, long firstSeq, long lastSeq) {
    public LogHead {
        requireNonNull(epoch, "epoch");
    }

    /** Whether a client that has everything up to {@code seq} of {@code epoch} can be brought up to date from here. */
    boolean canResume(String epoch, long seq) {
        // seq < 0 is a uint64 above Long.MAX_VALUE: never a position a log handed out.
        return this.epoch.equals(epoch) && seq >= 0 && seq <= lastSeq && seq + 1 >= firstSeq;
    }
}
