package io.livepush.server.channel;

import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.Message;
import java.util.List;

/**
 * The answer of a channel's home to a join or subscribe: where the channel stands, the presence
 * counts after the change, and the first page of the replay asked for with {@code since}.
 *
 * @param more true when the replay goes on past {@code firstPage}: ask for the next page
 * @param applets the channel's current applet states, read in the same home task
 */
public record Attachment(String epoch, long lastSeq, long members, long subscribers, boolean recovered,
                         int replayed, List<Message> firstPage, boolean more, List<AppletState> applets) {
}
