package io.livepush.loadtest.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.proto.v1.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawMessageTest {
    private final RawMessage raw = new RawMessage();

    private RawMessage read(Message m) {
        // Bytes before and after the message: it is read where it lies, not from the buffer's start.
        byte[] body = m.toByteArray();
        ByteBuf in = Unpooled.buffer().writeZero(3).writeBytes(body).writeZero(2);
        return raw.read(in, 3, 3 + body.length);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMessageGivesItsChannelEpochSeqAndSendTime() {
        RawMessage m = read(WireBytes.message(42, 1_000_042, 100).getMessage());

        assertThat(m.seq()).isEqualTo(42);
        assertThat(m.channelIs(utf8(WireBytes.ROOM))).isTrue();
        assertThat(m.channelIs(utf8(WireBytes.ROOM + "y"))).isFalse();
        assertThat(m.channelIs(utf8("room.y"))).isFalse();
        assertThat(m.epochIs(utf8("epoch-1"))).isTrue();
        assertThat(m.epochIs(utf8("epoch-2"))).isFalse();
        assertThat(m.payloadLength()).isEqualTo(100);
        assertThat(m.sentNanos()).isEqualTo(1_000_042);
    }

    @Test
    void aMessageInDirectMemoryIsReadAtItsAddress() {
        // What the native transports read into: read at its memory address instead of through getByte.
        byte[] body = WireBytes.message(42, 1_000_042, 100).getMessage().toByteArray();
        ByteBuf in = Unpooled.directBuffer().writeZero(3).writeBytes(body).writeZero(2);
        try {
            assertThat(in.hasMemoryAddress()).isTrue();
            RawMessage m = raw.read(in, 3, 3 + body.length);

            assertThat(m.seq()).isEqualTo(42);
            assertThat(m.channelIs(utf8(WireBytes.ROOM))).isTrue();
            assertThat(m.channelIs(utf8("room.y"))).isFalse();
            assertThat(m.epochIs(utf8("epoch-1"))).isTrue();
            assertThat(m.epochIs(utf8("epoch-2"))).isFalse();
            assertThat(m.sentNanos()).isEqualTo(1_000_042);
        } finally {
            in.release();
        }
    }

    @Test
    void absentFieldsAreEmptyAndAReadForgetsTheMessageBefore() {
        read(WireBytes.message(42, 1_000_042, 100).getMessage());

        RawMessage m = read(Message.newBuilder().setSeq(7).build());

        assertThat(m.seq()).isEqualTo(7);
        assertThat(m.channelIs(new byte[0])).isTrue();
        assertThat(m.epochIs(new byte[0])).isTrue();
        assertThat(m.payloadLength()).isZero();
        assertThatThrownBy(m::sentNanos).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMessageWithoutASeqIsRefused() {
        assertThatThrownBy(() -> read(Message.newBuilder().setChannel("room.x").build()))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("seq");
    }
}
