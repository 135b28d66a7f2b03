package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.livepush.proto.v1.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Messages as stored in {@code messages.dat}: the protobuf without channel and epoch, which the
 * channel's metadata already holds (saves space per message, and an epoch can never disagree), then
 * the publish's idempotency key, if it had one, so the key outlives a crash:
 *
 * <pre>
 * +--------------------------------+--------------------------------------+
 * | Message (no channel, no epoch) | field 1000, length-delimited: the    |
 * |                                | key (only when the publish had one)  |
 * +--------------------------------+--------------------------------------+
 * </pre>
 *
 * Protobuf reads concatenated messages as one, so the key parses as an unknown field of
 * {@link Message} ({@code common.proto} reserves 1000), which {@link #decode} drops: no client ever
 * sees a key.
 */
final class StoredMessageCodec {
    static final int IDEMPOTENCY_KEY_FIELD = 1000;

    /** A stored message with the idempotency key it was published with ({@code ""}: none). */
    record Keyed(Message message, String idempotencyKey) {}

    private StoredMessageCodec() {}

    static byte[] encode(Message message) {
        return encode(message, "");
    }

    static byte[] encode(Message message, String idempotencyKey) {
        requireNonNull(message, "message");
        requireNonNull(idempotencyKey, "idempotencyKey");
        if (!message.getChannel().isEmpty() || !message.getEpoch().isEmpty()) {
            message = message.toBuilder().clearChannel().clearEpoch().build();
        }
        if (idempotencyKey.isEmpty()) {
            return message.toByteArray();
        }
        byte[] bytes = new byte
                [message.getSerializedSize()
                        + CodedOutputStream.computeStringSize(IDEMPOTENCY_KEY_FIELD, idempotencyKey)];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            message.writeTo(out);
            out.writeString(IDEMPOTENCY_KEY_FIELD, idempotencyKey);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode into an array of the computed size", e);
        }
        return bytes;
    }

    static Message decode(byte[] bytes, String channel, String epoch) {
        return decodeKeyed(bytes, channel, epoch).message();
    }

    static Keyed decodeKeyed(byte[] bytes, String channel, String epoch) {
        requireNonNull(bytes, "bytes");
        requireNonNull(channel, "channel");
        requireNonNull(epoch, "epoch");
        Message stored;
        try {
            stored = Message.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Unreadable stored message in channel " + channel, e);
        }
        List<ByteString> keys =
                stored.getUnknownFields().getField(IDEMPOTENCY_KEY_FIELD).getLengthDelimitedList();
        Message message = stored.toBuilder()
                .setChannel(channel)
                .setEpoch(epoch)
                .setUnknownFields(UnknownFieldSet.getDefaultInstance())
                .build();
        return new Keyed(
                message, keys.isEmpty() ? "" : keys.get(keys.size() - 1).toStringUtf8());
    }
}
