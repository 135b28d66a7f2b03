package io.livepush.server.channel;

import io.livepush.proto.v1.Message;
import java.util.List;

/** A page of replayed messages; {@code more} is false once the page reached the channel's last seq. */
public record ReplayPage(List<Message> messages, boolean more) {
}
