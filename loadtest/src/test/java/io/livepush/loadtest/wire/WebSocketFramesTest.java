package io.livepush.loadtest.wire;

import static io.livepush.loadtest.wire.WireBytes.concat;
import static io.livepush.loadtest.wire.WireBytes.message;
import static io.livepush.loadtest.wire.WireBytes.webSocket;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.wire.Splits.Delivery;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {
    private static final int BINARY = 0x2;
    private static final int TEXT = 0x1;
    private static final int PING = 0x9;

    @Test
    void everySplitOfBinaryFramesGivesTheirMessagesAndSkipsControlFrames() {
        byte[] bytes = concat(
                webSocket(BINARY, message(7, 70, 100).toByteArray()), // 7-bit length
                webSocket(PING, "hi".getBytes(StandardCharsets.US_ASCII)),
                webSocket(BINARY, message(8, 80, 300).toByteArray())); // 16-bit length

        Splits.assertEverySplitDelivers(
                RawFraming.PUSH_WS.parser(), bytes, List.of(new Delivery(7, 70), new Delivery(8, 80)));
    }

    /** A binary frame of a message, FIN cleared: more fragments would follow. */
    private static byte[] fragmentOf(long seq) {
        byte[] frame = webSocket(BINARY, message(seq, 1, 16).toByteArray());
        frame[0] &= 0x7F;
        return frame;
    }

    @Test
    void aTextFrameAMaskedFrameAndAFragmentFail() {
        byte[] text = webSocket(TEXT, "{}".getBytes(StandardCharsets.US_ASCII));
        byte[] masked = webSocket(BINARY, new byte[0]);
        masked[1] |= (byte) 0x80; // MASK bit
        byte[] fragment = fragmentOf(1);

        for (byte[] bad : List.of(text, masked, fragment)) {
            assertThat(Splits.deliverFailure(RawFraming.PUSH_WS.parser(), bad, fragmentOf(2)))
                    .isInstanceOf(CorruptedFrameException.class);
        }
    }
}
