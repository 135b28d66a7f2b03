package io.livepush.codec;

import static io.livepush.codec.TestFrames.readAndRelease;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class DelimitedFrameEncoderTest {

    @Test
    void writesVarintLengthThenMessageBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(DelimitedFrameEncoder.INSTANCE);

        assertThat(ch.writeOutbound(TestFrames.pong(7, 1))).isTrue();

        assertThat(readAndRelease(ch.readOutbound()))
                .containsExactly(
                        0x06, // frame length 6
                        0x08, 0x07, // field 1 (reply_to), varint: 7
                        0x1A, 0x02, // field 3 (pong), length-delimited: 2 bytes
                        0x08, 0x01); //   Pong field 1 (nonce), varint: 1
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void allocatesBufferOfExactFrameSize() {
        EmbeddedChannel ch = new EmbeddedChannel(DelimitedFrameEncoder.INSTANCE);
        ServerFrame message = TestFrames.message("room-1", 42, 300);

        ch.writeOutbound(message);

        ByteBuf frame = ch.readOutbound();
        assertThat(frame.maxCapacity()).isEqualTo(frame.readableBytes()).isEqualTo(Frames.delimitedSize(message));
        assertThat(readAndRelease(frame)).isEqualTo(TestFrames.delimited(message));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void passesPreEncodedBuffersThroughUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(DelimitedFrameEncoder.INSTANCE);
        ByteBuf encoded = Frames.encodeDelimited(ch.alloc(), TestFrames.pong(1, 2));

        ch.writeOutbound(encoded);

        ByteBuf written = ch.readOutbound();
        assertThat(written).isSameAs(encoded);
        assertThat(written.refCnt()).isEqualTo(1);
        written.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void roundTripsClientFrameThroughDecoders() {
        EmbeddedChannel ch = new EmbeddedChannel(
                DelimitedFrameEncoder.INSTANCE, new DelimitedProtobufDecoder<>(1024, ClientFrame.parser()));
        ClientFrame sent = TestFrames.publish("room-1", 500);

        ch.writeOutbound(sent);
        ch.writeInbound((ByteBuf) ch.readOutbound());

        assertThat((ClientFrame) ch.readInbound()).isEqualTo(sent);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void roundTripsServerFramesThroughDecoders() {
        EmbeddedChannel ch = new EmbeddedChannel(
                DelimitedFrameEncoder.INSTANCE, new DelimitedProtobufDecoder<>(1024, ServerFrame.parser()));
        ServerFrame error = TestFrames.error(ErrorCode.FRAME_TOO_LARGE, "frame length 70000 exceeds 65536");
        ServerFrame empty = ServerFrame.getDefaultInstance();

        ch.writeOutbound(error, empty);
        ch.writeInbound((ByteBuf) ch.readOutbound(), (ByteBuf) ch.readOutbound());

        assertThat((ServerFrame) ch.readInbound()).isEqualTo(error);
        assertThat((ServerFrame) ch.readInbound()).isEqualTo(empty);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void sharesOneInstanceAcrossChannels() {
        EmbeddedChannel first = new EmbeddedChannel(DelimitedFrameEncoder.INSTANCE);
        EmbeddedChannel second = new EmbeddedChannel(DelimitedFrameEncoder.INSTANCE);

        first.writeOutbound(TestFrames.pong(1, 1));
        second.writeOutbound(TestFrames.pong(2, 2));

        assertThat(readAndRelease(first.readOutbound())).isEqualTo(TestFrames.delimited(TestFrames.pong(1, 1)));
        assertThat(readAndRelease(second.readOutbound())).isEqualTo(TestFrames.delimited(TestFrames.pong(2, 2)));
        assertThat(first.finish()).isFalse();
        assertThat(second.finish()).isFalse();
    }
}
