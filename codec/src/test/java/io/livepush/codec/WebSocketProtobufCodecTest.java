package io.livepush.codec;

import static io.livepush.codec.TestFrames.readAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

class WebSocketProtobufCodecTest {

    @Test
    void decodesBinaryMessageWithoutLengthPrefix() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketProtobufDecoder<>(ClientFrame.parser()));

        ch.writeInbound(new BinaryWebSocketFrame(TestFrames.bytes(
                0x08, 0x03, // field 1 (id), varint: 3
                0x1A, 0x02, // field 3 (ping), length-delimited: 2 bytes
                0x08, 0x09))); //   Ping field 1 (nonce), varint: 9

        assertThat((ClientFrame) ch.readInbound()).isEqualTo(TestFrames.ping(3, 9));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void badBytesRaiseMalformedFrameAndLaterMessagesAreDropped() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketProtobufDecoder<>(ClientFrame.parser()));

        assertThatThrownBy(() -> ch.writeInbound(new BinaryWebSocketFrame(TestFrames.bytes(0x0A, 0x7F, 0x01))))
                .isInstanceOf(MalformedFrameException.class);
        ch.writeInbound(
                new BinaryWebSocketFrame(TestFrames.bytes(TestFrames.ping(1, 1).toByteArray())));

        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void textMessageIsMalformedOnBinarySubprotocol() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketProtobufDecoder<>(ClientFrame.parser()));

        assertThatThrownBy(() -> ch.writeInbound(new TextWebSocketFrame("{}")))
                .isInstanceOf(MalformedFrameException.class);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void encodesMessageAsOneBinaryMessage() {
        EmbeddedChannel ch = new EmbeddedChannel(WebSocketProtobufEncoder.INSTANCE);

        ch.writeOutbound(TestFrames.pong(7, 1));

        BinaryWebSocketFrame frame = ch.readOutbound();
        assertThat(readAndRelease(frame.content()))
                .containsExactly(
                        0x08, 0x07, // field 1 (reply_to), varint: 7
                        0x1A, 0x02, // field 3 (pong), length-delimited: 2 bytes
                        0x08, 0x01); //   Pong field 1 (nonce), varint: 1
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void preEncodedBufferLosesItsPrefixWithoutCopy() {
        EmbeddedChannel ch = new EmbeddedChannel(WebSocketProtobufEncoder.INSTANCE);
        ServerFrame message = TestFrames.message("room-1", 42, 300); // 2-byte length prefix
        ByteBuf shared = Frames.encodeDelimited(ch.alloc(), message);

        ch.writeOutbound(shared.retainedDuplicate());

        BinaryWebSocketFrame frame = ch.readOutbound();
        assertThat(frame.content().memoryAddress() == shared.memoryAddress() + 2 || !shared.hasMemoryAddress())
                .as("the body is a slice of the shared buffer")
                .isTrue();
        assertThat(readAndRelease(frame.content())).isEqualTo(message.toByteArray());
        assertThat(shared.refCnt()).isEqualTo(1);
        shared.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void controlFramesPassThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(WebSocketProtobufEncoder.INSTANCE);
        PongWebSocketFrame pong = new PongWebSocketFrame();

        ch.writeOutbound(pong);

        assertThat((Object) ch.readOutbound()).isSameAs(pong);
        pong.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void roundTripsThroughEncoderAndDecoder() {
        EmbeddedChannel out = new EmbeddedChannel(WebSocketProtobufEncoder.INSTANCE);
        EmbeddedChannel in = new EmbeddedChannel(new WebSocketProtobufDecoder<>(ServerFrame.parser()));
        ServerFrame sent = TestFrames.message("room-1", 5, 1000);

        out.writeOutbound(sent);
        in.writeInbound((Object) out.readOutbound());

        assertThat((ServerFrame) in.readInbound()).isEqualTo(sent);
        assertThat(out.finish()).isFalse();
        assertThat(in.finish()).isFalse();
    }
}
