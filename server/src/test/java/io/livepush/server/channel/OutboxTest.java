package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.codec.Frames;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private EmbeddedChannel ch;

    @AfterEach
    void tearDown() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aPassesDeliveriesLeaveAsOneWriteWhenItEnds() {
        Outbox outbox = outbox(Outbox.Framing.DELIMITED);
        ByteBuf a = frame("a");
        ByteBuf b = frame("bb");

        outbox.append(a);
        outbox.append(b);
        assertThat((Object) ch.readOutbound())
                .as("nothing before the pass ends")
                .isNull();
        outbox.flushNow();

        ByteBuf batch = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(batch)).isEqualTo(concat(a, b));
        assertThat((Object) ch.readOutbound()).isNull();
        release(batch, a, b);
    }

    @Test
    void anyOtherWriteFollowsWhatIsPending() {
        Outbox outbox = outbox(Outbox.Framing.DELIMITED);
        ByteBuf delivery = frame("live");

        outbox.append(delivery);
        ch.writeOutbound(Unpooled.copiedBuffer("answer", StandardCharsets.US_ASCII));

        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(first)).isEqualTo(ByteBufUtil.getBytes(delivery));
        assertThat(second.toString(StandardCharsets.US_ASCII)).isEqualTo("answer");
        release(first, second, delivery);
    }

    @Test
    void webSocketBatchesCarryOneBinaryFrameHeaderPerDelivery() {
        Outbox outbox = outbox(Outbox.Framing.WEBSOCKET_BINARY);
        ByteBuf small = frame("x".repeat(3));
        ByteBuf large = frame("y".repeat(300));

        outbox.append(small);
        outbox.append(large);
        outbox.flushNow();

        ByteBuf batch = ch.readOutbound();
        int smallBody = small.writerIndex() - Frames.bodyIndex(small);
        int largeBody = large.writerIndex() - Frames.bodyIndex(large);
        assertThat(batch.readUnsignedByte()).isEqualTo((short) 0x82);
        assertThat(batch.readUnsignedByte()).isEqualTo((short) smallBody);
        assertThat(ByteBufUtil.getBytes(batch.readSlice(smallBody))).isEqualTo(body(small));
        assertThat(batch.readUnsignedByte()).isEqualTo((short) 0x82);
        assertThat(batch.readUnsignedByte()).isEqualTo((short) 126);
        assertThat(batch.readUnsignedShort()).isEqualTo(largeBody);
        assertThat(ByteBufUtil.getBytes(batch.readSlice(largeBody))).isEqualTo(body(large));
        assertThat(batch.isReadable()).isFalse();
        release(batch, small, large);
    }

    @Test
    void framesEncodedBelowAreWrittenOneByOne() {
        Outbox outbox = outbox(Outbox.Framing.ENCODED_BELOW);
        ByteBuf delivery = frame("json");

        outbox.append(delivery);
        outbox.flushNow();

        ByteBuf written = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(written)).isEqualTo(ByteBufUtil.getBytes(delivery));
        release(written, delivery);
    }

    @Test
    void aBatchAtTheWriteBufferLimitGoesToTheChannelAtOnce() {
        Outbox outbox = outbox(Outbox.Framing.DELIMITED);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(32, 64));
        ByteBuf big = frame("z".repeat(100));

        outbox.append(big);

        assertThat(ch.isWritable()).as("counted by the channel's water marks").isFalse();
        outbox.flushNow();
        ByteBuf written = ch.readOutbound();
        assertThat(written.readableBytes()).isEqualTo(big.readableBytes());
        release(written, big);
    }

    @Test
    void aCloseReleasesWhatIsPending() {
        Outbox outbox = outbox(Outbox.Framing.DELIMITED);
        ByteBuf delivery = frame("gone");
        outbox.append(delivery);

        ch.close();

        assertThat((Object) ch.readOutbound()).isNull();
        delivery.release(); // the leak detector (PARANOID in tests) reports the batch if it was not released
    }

    @Test
    void aWebSocketFrameWrittenAfterADeliveryFollowsIt() {
        Outbox outbox = outbox(Outbox.Framing.WEBSOCKET_BINARY);
        ByteBuf delivery = frame("live");
        outbox.append(delivery);

        ch.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));

        ByteBuf first = ch.readOutbound();
        BinaryWebSocketFrame second = ch.readOutbound();
        assertThat(first.getUnsignedByte(0)).isEqualTo((short) 0x82);
        assertThat(second.content().readableBytes()).isEqualTo(1);
        release(first, delivery);
        second.release();
    }

    @Test
    void framesWrittenFromAboveAreEncodedForTheTransport() {
        ServerFrame answer = ServerFrame.newBuilder().setReplyTo(7).build();
        ByteBuf expected = Frames.encodeDelimited(UnpooledByteBufAllocator.DEFAULT, answer);

        outbox(Outbox.Framing.DELIMITED);
        ch.writeOutbound(answer);
        ByteBuf tcp = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(tcp)).isEqualTo(ByteBufUtil.getBytes(expected));
        ch.finishAndReleaseAll();

        outbox(Outbox.Framing.WEBSOCKET_BINARY);
        ch.writeOutbound(answer);
        BinaryWebSocketFrame ws = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(ws.content())).isEqualTo(body(expected));
        release(tcp, expected);
        ws.release();
    }

    private Outbox outbox(Outbox.Framing framing) {
        ch = new EmbeddedChannel(new Outbox(framing));
        return Outbox.of(ch);
    }

    private static ByteBuf frame(String payload) {
        return Frames.encodeDelimited(
                UnpooledByteBufAllocator.DEFAULT,
                ServerFrame.newBuilder()
                        .setMessage(Message.newBuilder()
                                .setSeq(1)
                                .setPayload(com.google.protobuf.ByteString.copyFromUtf8(payload)))
                        .build());
    }

    private static byte[] body(ByteBuf frame) {
        int index = Frames.bodyIndex(frame);
        return ByteBufUtil.getBytes(frame, index, frame.writerIndex() - index);
    }

    private static byte[] concat(ByteBuf a, ByteBuf b) {
        byte[] first = ByteBufUtil.getBytes(a);
        byte[] second = ByteBufUtil.getBytes(b);
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static void release(ByteBuf... buffers) {
        for (ByteBuf b : buffers) {
            b.release();
        }
    }
}
