package io.livepush.server.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.livepush.codec.MalformedFrameException;
import io.livepush.proto.v1.ClientFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * Subprotocol {@code push.v1.json} with arbitrary text: each message is either one {@code ClientFrame}
 * that prints back to JSON and parses to the same frame, or a {@link MalformedFrameException} after which
 * nothing more is decoded; nothing else escapes, and every message buffer is released.
 */
class WebSocketJsonDecoderFuzzTest {

    @FuzzTest
    void arbitraryText(byte[] utf8) throws InvalidProtocolBufferException {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketJsonDecoder<>(ClientFrame.getDefaultInstance()));
        // As the WebSocket decoder hands it over: the raw bytes, whether or not they are valid UTF-8.
        ByteBuf content = Unpooled.wrappedBuffer(utf8.length == 0 ? new byte[] {'{', '}'} : utf8);
        ByteBuf after = Unpooled.wrappedBuffer("{\"id\":1}".getBytes(StandardCharsets.UTF_8));
        boolean failed = false;
        try {
            try {
                ch.writeInbound(new TextWebSocketFrame(content));
            } catch (DecoderException e) {
                assertThat(e).isInstanceOf(MalformedFrameException.class);
                failed = true;
            }
            ClientFrame frame = ch.readInbound();
            assertThat(frame == null).as("a frame or a failure").isEqualTo(failed);
            if (frame != null) {
                String printed = JsonFormat.printer().print(frame);
                ClientFrame.Builder again = ClientFrame.newBuilder();
                JsonFormat.parser().merge(printed, again);
                assertThat(again.build()).isEqualTo(frame);
            }
            ch.writeInbound(new TextWebSocketFrame(after));
            assertThat((Object) ch.readInbound())
                    .as("decoded after a failure")
                    .isEqualTo(failed ? null : ClientFrame.newBuilder().setId(1).build());
            assertThat(ch.finish()).isFalse();
        } finally {
            ch.finishAndReleaseAll();
        }
        assertThat(content.refCnt()).as("message released").isZero();
        assertThat(after.refCnt()).as("message released").isZero();
    }
}
