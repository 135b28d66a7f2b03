package io.livepush.codec;

import static io.livepush.codec.TestFrames.readAndRelease;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

class FramesTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void encodeDelimitedEqualsWriteDelimitedTo() {
        // 300 payload bytes: the length prefix takes 2 bytes.
        ServerFrame message = TestFrames.message("room-1", 42, 300);

        ByteBuf frame = Frames.encodeDelimited(ALLOC, message);

        assertThat(frame.readableBytes()).isEqualTo(frame.maxCapacity());
        assertThat(readAndRelease(frame)).isEqualTo(TestFrames.delimited(message));
    }

    @Test
    void encodesEmptyMessageAsSingleZeroLength() {
        assertThat(readAndRelease(Frames.encodeDelimited(ALLOC, ServerFrame.getDefaultInstance())))
                .containsExactly(0x00); // frame length 0, no body
    }

    @Test
    void delimitedSizeCountsPrefixAndBodyAcrossPrefixWidths() {
        // Payload sizes around the 1-byte/2-byte (127/128) and 2-byte/3-byte (16383/16384) prefix edges.
        for (int payload : new int[] {0, 100, 110, 120, 16_350, 16_370, 16_380}) {
            MessageLite message = TestFrames.publish("c", payload);
            assertThat(Frames.delimitedSize(message))
                    .as("payload %d", payload)
                    .isEqualTo(TestFrames.delimited(message).length);
        }
    }

    @Test
    void fanOutDuplicatesReadIndependentlyOfEachOther() {
        ServerFrame message = TestFrames.message("room-1", 7, 50);
        ByteBuf encoded = Frames.encodeDelimited(ALLOC, message);
        ByteBuf forFirst = encoded.retainedDuplicate();
        ByteBuf forSecond = encoded.retainedDuplicate();
        encoded.release();

        forFirst.skipBytes(forFirst.readableBytes()); // as a socket write would
        forFirst.release();

        assertThat(readAndRelease(forSecond)).isEqualTo(TestFrames.delimited(message));
    }
}
