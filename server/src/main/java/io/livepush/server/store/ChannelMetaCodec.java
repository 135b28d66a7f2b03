package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Channel metadata as stored in {@code channels.dat}: a format byte, channelId, firstSeq, lastSeq,
 * lastPublishMs (format 2 only), then the epoch in UTF-8 (to the end). Format 1 (without
 * lastPublishMs) is still read, as published at time 0: the first to be evicted.
 */
final class ChannelMetaCodec {
    private static final byte FORMAT_V1 = 1;
    private static final byte FORMAT_V2 = 2;
    private static final int FIXED_BYTES_V1 = 1 + 3 * Long.BYTES;
    private static final int FIXED_BYTES = FIXED_BYTES_V1 + Long.BYTES;

    /** A typical encoded size (12-char epoch), for sizing the map. */
    static final int TYPICAL_BYTES = FIXED_BYTES + 12;

    private ChannelMetaCodec() {}

    static byte[] encode(ChannelMeta meta) {
        requireNonNull(meta, "meta");
        byte[] epoch = meta.epoch().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(FIXED_BYTES + epoch.length)
                .put(FORMAT_V2)
                .putLong(meta.channelId())
                .putLong(meta.firstSeq())
                .putLong(meta.lastSeq())
                .putLong(meta.lastPublishMs())
                .put(epoch)
                .array();
    }

    static ChannelMeta decode(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        byte format = bytes.length > 0 ? bytes[0] : 0;
        int fixed = format == FORMAT_V2 ? FIXED_BYTES : FIXED_BYTES_V1;
        if ((format != FORMAT_V1 && format != FORMAT_V2) || bytes.length < fixed) {
            throw new IllegalStateException("Unreadable channel metadata (" + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        long channelId = buf.getLong();
        long firstSeq = buf.getLong();
        long lastSeq = buf.getLong();
        long lastPublishMs = format == FORMAT_V2 ? buf.getLong() : 0;
        String epoch = new String(bytes, fixed, bytes.length - fixed, StandardCharsets.UTF_8);
        return new ChannelMeta(channelId, epoch, firstSeq, lastSeq, lastPublishMs);
    }
}
