package io.livepush.server.store;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import java.nio.ByteBuffer;

/**
 * The value of an {@code applets.dat} entry (room and applet id are in the key):
 *
 * <pre>
 * +----------------+-------------------+-----------------+
 * | version: int64 | updated_ms: int64 | content: rest   |
 * +----------------+-------------------+-----------------+
 * </pre>
 */
final class AppletStateCodec {
    private static final int HEADER_BYTES = 2 * Long.BYTES;

    private AppletStateCodec() {}

    static byte[] encode(AppletState state) {
        ByteString content = state.getContent();
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + content.size());
        buf.putLong(state.getVersion()).putLong(state.getUpdatedMs());
        content.copyTo(buf);
        return buf.array();
    }

    static AppletState decode(String room, String appletId, byte[] bytes) {
        if (bytes.length < HEADER_BYTES) {
            throw new IllegalStateException(
                    "applet entry of " + bytes.length + " bytes (expected >= " + HEADER_BYTES + ")");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        return AppletState.newBuilder()
                .setRoom(room)
                .setAppletId(appletId)
                .setVersion(buf.getLong())
                .setUpdatedMs(buf.getLong())
                .setContent(ByteString.copyFrom(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES))
                .build();
    }
}
