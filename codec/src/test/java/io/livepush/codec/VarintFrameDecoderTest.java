package io.livepush.codec;

import static io.livepush.codec.TestFrames.bytes;
import static io.livepush.codec.TestFrames.readAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VarintFrameDecoderTest {

    @Test
    void decodesWholeFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(16));

        assertThat(ch.writeInbound(bytes(
                        0x03, // length 3
                        'a', 'b', 'c'))) // body
                .isTrue();

        assertThat(readAndRelease(ch.readInbound())).containsExactly('a', 'b', 'c');
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void waitsForPrefixAndBodyDeliveredInPieces() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(1024));
        byte[] body = new byte[300];
        Arrays.fill(body, (byte) 'x');

        // 1 byte: half of the 2-byte prefix.
        assertThat(ch.writeInbound(bytes(0xAC))).isFalse(); // 300 = 0x2C | continuation bit
        // 2 bytes: the rest of the prefix and the first body byte.
        assertThat(ch.writeInbound(bytes(0x02, 'x'))).isFalse(); // 2 * 128 + 0x2C = 300
        // The rest of the body.
        assertThat(ch.writeInbound(bytes(Arrays.copyOfRange(body, 1, body.length))))
                .isTrue();

        assertThat(readAndRelease(ch.readInbound())).isEqualTo(body);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesTwoFramesCoalescedInOneRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(16));

        assertThat(ch.writeInbound(bytes(
                        0x02, 'h', 'i', // first frame: length 2, body
                        0x03, 'y', 'o', 'u'))) // second frame: length 3, body
                .isTrue();

        assertThat(readAndRelease(ch.readInbound())).containsExactly('h', 'i');
        assertThat(readAndRelease(ch.readInbound())).containsExactly('y', 'o', 'u');
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void emitsEmptyBufferForZeroLengthFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(16));

        assertThat(ch.writeInbound(bytes(
                        0x00, // length 0: an empty frame
                        0x01, 'z'))) // next frame: length 1, body
                .isTrue();

        assertThat(readAndRelease(ch.readInbound())).isEmpty();
        assertThat(readAndRelease(ch.readInbound())).containsExactly('z');
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void acceptsFrameOfExactlyMaxFrameBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(4));

        assertThat(ch.writeInbound(bytes(
                        0x04, // length 4 = maxFrameBytes
                        'a', 'b', 'c', 'd'))) // body
                .isTrue();

        assertThat(readAndRelease(ch.readInbound())).containsExactly('a', 'b', 'c', 'd');
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void rejectsOversizedLengthBeforeBodyArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(16));

        // Only the prefix is sent: the decoder must not wait for 17 bytes of body.
        assertThatThrownBy(() -> ch.writeInbound(bytes(0x11))) // length 17 = maxFrameBytes + 1
                .isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
                    assertThat(e.length()).isEqualTo(17);
                    assertThat(e.maxFrameBytes()).isEqualTo(16);
                });
        // Closing, after an Error frame, is the server's call, not the decoder's.
        assertThat(ch.isActive()).isTrue();

        // The body, then a well-formed frame: all ignored, with no second exception.
        assertThat(ch.writeInbound(bytes(new byte[17]))).isFalse();
        assertThat(ch.writeInbound(bytes(0x01, 'a'))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void rejectsLengthOfIntMaxWhosePrefixArrivesInPieces() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(65536));

        // Integer.MAX_VALUE as varint: 0xFF 0xFF 0xFF 0xFF 0x07, delivered 1, 2, then 2 bytes.
        assertThat(ch.writeInbound(bytes(0xFF))).isFalse();
        assertThat(ch.writeInbound(bytes(0xFF, 0xFF))).isFalse();
        assertThatThrownBy(() -> ch.writeInbound(bytes(0xFF, 0x07)))
                .isInstanceOfSatisfying(
                        FrameTooLargeException.class,
                        e -> assertThat(e.length()).isEqualTo(Integer.MAX_VALUE));

        assertThat(ch.finish()).isFalse();
    }

    @Test
    void rejectsPrefixLongerThanFiveBytesAndIgnoresLaterInput() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(16));

        // Six bytes with the continuation bit set: no varint32 is that long.
        assertThatThrownBy(() -> ch.writeInbound(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)))
                .isInstanceOf(MalformedFrameException.class);
        assertThat(ch.isActive()).isTrue();

        assertThat(ch.writeInbound(bytes(0x01, 'a'))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void rejectsLengthThatDoesNotFitNonNegativeInt() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(16));

        // 0xFF 0xFF 0xFF 0xFF 0x0F ends after 5 bytes, but is 2^32 - 1.
        assertThatThrownBy(() -> ch.writeInbound(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F)))
                .isInstanceOf(MalformedFrameException.class);

        assertThat(ch.finish()).isFalse();
    }

    @Test
    void dropsIncompleteFrameOnClose() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(16));

        assertThat(ch.writeInbound(bytes(
                        0x05, // length 5
                        'a', 'b'))) // only 2 bytes of body before the peer goes away
                .isFalse();

        assertThat(ch.finish()).isFalse();
    }

    @Test
    void rejectsNonPositiveMaxFrameBytes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new VarintFrameDecoder(0))
                .withMessage("maxFrameBytes: 0 (expected: > 0)");
    }
}
