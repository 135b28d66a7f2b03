package io.livepush.server.channel;

import java.util.List;

/**
 * A page of replayed messages, encoded for the wire (the holder writes or releases each frame);
 * {@code more} is false once the page reached the channel's last seq.
 */
public record ReplayPage(List<ReplayFrame> frames, boolean more) implements Reply.Releasable {
    static final ReplayPage EMPTY = new ReplayPage(List.of(), false);
    /** Nothing read yet: the replay reads its first page as the next. */
    static final ReplayPage UNREAD = new ReplayPage(List.of(), true);

    /** Releases the frames of a page that will not be written. */
    @Override
    public void release() {
        frames.forEach(f -> f.frame().release());
    }
}
