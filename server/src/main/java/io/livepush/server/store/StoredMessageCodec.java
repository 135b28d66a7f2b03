package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.livepush.proto.v1.Message;

/**
 * Messages as stored in {@code messages.dat}: the protobuf without channel and epoch, which the
 * channel's metadata already holds (saves space per message, and an epoch can never disagree).
 */
final class StoredMessageCodec {
    private StoredMessageCodec() {}

    static byte[] encode(Message message) {
        requireNonNull(message, "message");
        if (!message.getChannel().isEmpty() || !message.getEpoch().isEmpty()) {
            message = message.toBuilder().clearChannel().clearEpoch().build();
        }
        return message.toByteArray();
    }

    static Message decode(byte[] bytes, String channel, String epoch) {
        requireNonNull(bytes, "bytes");
        requireNonNull(channel, "channel");
        requireNonNull(epoch, "epoch");
        try {
            return Message.parseFrom(bytes).toBuilder().setChannel(channel).setEpoch(epoch).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Unreadable stored message in channel " + channel, e);
        }
    }
}
