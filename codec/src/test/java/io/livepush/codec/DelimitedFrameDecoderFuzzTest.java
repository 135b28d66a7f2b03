package io.livepush.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.livepush.proto.v1.ClientFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TCP framing against a plain model of the wire format (PROTOCOL.md, "Framing (TCP)"): arbitrary
 * bytes, cut into arbitrary reads, must give exactly the frames and the one error the model reads from
 * the whole stream at once, with every buffer released. Regression inputs live in
 * {@code DelimitedFrameDecoderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes (README, "Fuzzing").
 *
 * <p>Input layout: the frame limit (1 to 300), whether bodies are parsed as {@code ClientFrame}
 * ({@link DelimitedProtobufDecoder}) or only cut ({@link VarintFrameDecoder}), then reads of 1 to 64 bytes.
 */
class DelimitedFrameDecoderFuzzTest {
    private static final int MAX_READ_BYTES = 64;

    @FuzzTest
    void arbitraryStreamInArbitraryReads(FuzzedDataProvider data) {
        int maxFrameBytes = data.consumeInt(1, 300);
        boolean parse = data.consumeBoolean();
        EmbeddedChannel ch = new EmbeddedChannel(
                parse
                        ? new DelimitedProtobufDecoder<>(maxFrameBytes, ClientFrame.parser())
                        : new VarintFrameDecoder(maxFrameBytes));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<ByteBuf> reads = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        try {
            while (data.remainingBytes() > 0) {
                byte[] read = data.consumeBytes(data.consumeInt(1, MAX_READ_BYTES));
                if (read.length == 0) {
                    break;
                }
                stream.writeBytes(read);
                // Untracked (paranoid tracking records every readByte), but checked exactly below; what the
                // decoder allocates itself (merged cumulations, slices) is tracked.
                ByteBuf buf = Unpooled.wrappedBuffer(read);
                reads.add(buf);
                try {
                    ch.writeInbound(buf);
                } catch (DecoderException e) {
                    // Only the two documented failures; anything else escapes and is a finding.
                    assertThat(e).isInstanceOfAny(FrameTooLargeException.class, MalformedFrameException.class);
                    drain(ch, maxFrameBytes, seen);
                    seen.add(e.getClass());
                    continue;
                }
                drain(ch, maxFrameBytes, seen);
            }
            assertThat(ch.finish()).as("nothing decoded at close").isFalse();
        } finally {
            ch.finishAndReleaseAll();
        }
        for (ByteBuf read : reads) {
            assertThat(read.refCnt()).as("every read released by the decoder").isZero();
        }
        assertThat(seen).isEqualTo(Model.decode(stream.toByteArray(), maxFrameBytes, parse));
    }

    /** Takes what the decoder emitted: bodies within the limit, copied out and released. */
    private static void drain(EmbeddedChannel ch, int maxFrameBytes, List<Object> seen) {
        for (Object msg; (msg = ch.readInbound()) != null; ) {
            if (msg instanceof ByteBuf body) {
                try {
                    assertThat(body.readableBytes()).isLessThanOrEqualTo(maxFrameBytes);
                    seen.add(ByteString.copyFrom(ByteBufUtil.getBytes(body)));
                } finally {
                    body.release();
                }
            } else {
                seen.add(msg);
            }
        }
    }

    /**
     * The wire format read from a whole stream: a varint32 length of at most 5 bytes that fits a
     * non-negative int, then the body. The first bad prefix (or unparseable body) ends the stream.
     */
    private static final class Model {
        static List<Object> decode(byte[] stream, int maxFrameBytes, boolean parse) {
            List<Object> frames = new ArrayList<>();
            int i = 0;
            while (i < stream.length) {
                long length = 0;
                int prefixEnd = -1;
                for (int n = 0; n < 5 && i + n < stream.length; n++) {
                    int b = stream[i + n] & 0xFF;
                    length |= (long) (b & 0x7F) << (7 * n);
                    if (b < 0x80) {
                        prefixEnd = i + n + 1;
                        break;
                    }
                }
                if (prefixEnd < 0) {
                    if (i + 5 <= stream.length) { // five bytes, all with "more follows"
                        frames.add(MalformedFrameException.class);
                    }
                    return frames; // otherwise the prefix is still incomplete
                }
                if (length > Integer.MAX_VALUE) {
                    frames.add(MalformedFrameException.class);
                    return frames;
                }
                if (length > maxFrameBytes) {
                    frames.add(FrameTooLargeException.class);
                    return frames;
                }
                if (stream.length - prefixEnd < length) {
                    return frames;
                }
                byte[] body = Arrays.copyOfRange(stream, prefixEnd, prefixEnd + (int) length);
                i = prefixEnd + (int) length;
                if (!parse) {
                    frames.add(ByteString.copyFrom(body));
                    continue;
                }
                try {
                    frames.add(ClientFrame.parseFrom(body));
                } catch (InvalidProtocolBufferException e) {
                    frames.add(MalformedFrameException.class);
                    return frames;
                }
            }
            return frames;
        }
    }
}
