package io.livepush.codec;

import static io.livepush.codec.TestFrames.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.livepush.proto.v1.ClientFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class DelimitedProtobufDecoderTest {

    private static EmbeddedChannel clientFrameChannel() {
        return new EmbeddedChannel(new DelimitedProtobufDecoder<>(1024, ClientFrame.parser()));
    }

    @Test
    void decodesClientFrameFromRawBytes() {
        EmbeddedChannel ch = clientFrameChannel();

        assertThat(ch.writeInbound(bytes(
                        0x06, // frame length 6
                        0x08, 0x07, // field 1 (id), varint: 7
                        0x1A, 0x02, // field 3 (ping), length-delimited: 2 bytes
                        0x08, 0x01))) //   Ping field 1 (nonce), varint: 1
                .isTrue();

        assertThat((ClientFrame) ch.readInbound()).isEqualTo(TestFrames.ping(7, 1));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesZeroLengthFrameAsDefaultMessage() {
        EmbeddedChannel ch = clientFrameChannel();

        assertThat(ch.writeInbound(bytes(0x00))).isTrue(); // frame length 0: every field at its default

        assertThat((ClientFrame) ch.readInbound()).isEqualTo(ClientFrame.getDefaultInstance());
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesFramesFromHeapAndDirectBuffers() {
        EmbeddedChannel ch = clientFrameChannel();
        byte[] body = TestFrames.publish("room-1", 200).toByteArray();
        assertThat(body.length).isBetween(128, 16383); // a two-byte varint prefix:
        int prefix0 = body.length & 0x7F | 0x80;
        int prefix1 = body.length >>> 7;

        assertThat(ch.writeInbound(
                        Unpooled.buffer().writeByte(prefix0).writeByte(prefix1).writeBytes(body)))
                .isTrue();
        assertThat(ch.writeInbound(Unpooled.directBuffer()
                        .writeByte(prefix0)
                        .writeByte(prefix1)
                        .writeBytes(body)))
                .isTrue();

        assertThat((ClientFrame) ch.readInbound()).isEqualTo(TestFrames.publish("room-1", 200));
        assertThat((ClientFrame) ch.readInbound()).isEqualTo(TestFrames.publish("room-1", 200));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void rejectsBodyThatIsNotProtobuf() {
        EmbeddedChannel ch = clientFrameChannel();

        // A plain-text client on the TCP port: the first byte parses as a length, the rest does not
        // parse as a message ('G' = 0x47 is field 8 with wire type 7, which does not exist).
        assertThatThrownBy(() -> ch.writeInbound(bytes(
                        0x04, // frame length 4
                        'G', 'E', 'T', ' '))) // body
                .isInstanceOf(MalformedFrameException.class)
                .hasCauseInstanceOf(InvalidProtocolBufferException.class);
        assertThat(ch.isActive()).isTrue();

        assertThat(ch.finish()).isFalse();
    }

    @Test
    void rejectsMessageTruncatedByItsFrame() {
        EmbeddedChannel ch = clientFrameChannel();

        assertThatThrownBy(() -> ch.writeInbound(bytes(
                        0x03, // frame length 3
                        0x1A, 0x05, // field 3 (ping), length-delimited: 5 bytes
                        0x08))) // but the frame ends after 1 of them
                .isInstanceOf(MalformedFrameException.class)
                .hasCauseInstanceOf(InvalidProtocolBufferException.class);

        assertThat(ch.finish()).isFalse();
    }

    @Test
    void framesAfterUnparseableBodyAreNeverDecodedNotEvenAtClose() {
        EmbeddedChannel ch = clientFrameChannel();

        // Found by DelimitedFrameDecoderFuzzTest: a bad body followed, in the same read, by a good frame.
        assertThatThrownBy(() -> ch.writeInbound(bytes(
                        0x01, 0xFF, // frame length 1, body: a truncated tag
                        0x06, 0x08, 0x07, 0x1A, 0x02, 0x08, 0x01))) // a well-formed ping, id 7
                .isInstanceOf(MalformedFrameException.class);
        assertThat((Object) ch.readInbound()).isNull();

        // Neither a later read nor the decoding at close (channelInactive) may hand out the ping.
        assertThat(ch.writeInbound(bytes(0x06, 0x08, 0x08, 0x1A, 0x02, 0x08, 0x01)))
                .isFalse();
        assertThat(ch.finish()).isFalse();
    }
}
