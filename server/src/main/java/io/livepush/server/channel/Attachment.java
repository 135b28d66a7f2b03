package io.livepush.server.channel;

import io.livepush.proto.v1.AppletState;
import java.util.List;

/**
 * The answer of a channel's home to a join or subscribe: where the channel stands, the presence
 * counts after the change, and the first page of the replay asked for with {@code since}.
 *
 * @param firstPage the first page of the replay (empty when none); its frames are the holder's to write or release
 * @param applets the room's current applet states, read in the same home task (none for a subscription)
 */
public record Attachment(
        String epoch,
        long lastSeq,
        long members,
        long subscribers,
        boolean recovered,
        int replayed,
        ReplayPage firstPage,
        List<AppletState> applets)
        implements Reply.Releasable {
    @Override
    public void release() {
        firstPage.release();
    }
}
