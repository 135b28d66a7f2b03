package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Channel metadata as stored in {@code channels.dat}: a format byte, channelId, firstSeq, lastSeq, then
 * the epoch in UTF-8 (to the end). The format byte lets a later layout coexist with this one.
 */
final class ChannelMetaCodec {
    private static final byte FORMAT_V1 = 1;
    private static final int FIXED_BYTES = 1 + 3 * Long.BYTES;

    /** A typical encoded size (12-char epoch), for sizing the map. */
    static final int TYPICAL_BYTES = FIXED_BYTES + 12;

    private ChannelMetaCodec() {}

    static byte[] encode(ChannelMeta meta) {
        requireNonNull(meta, "meta");
        byte[] epoch = meta.epoch().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(FIXED_BYTES + epoch.length)
                .put(FORMAT_V1)
                .putLong(meta.channelId())
                .putLong(meta.firstSeq())
                .putLong(meta.lastSeq())
                .put(epoch)
                .array();
    }

    static ChannelMeta decode(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        if (bytes.length < FIXED_BYTES || bytes[0] != FORMAT_V1) {
            throw new IllegalStateException("Unreadable channel metadata (" + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        long channelId = buf.getLong();
        long firstSeq = buf.getLong();
        long lastSeq = buf.getLong();
        String epoch = new String(bytes, FIXED_BYTES, bytes.length - FIXED_BYTES, StandardCharsets.UTF_8);
        return new ChannelMeta(channelId, epoch, firstSeq, lastSeq);
    }
}
