package io.livepush.loadtest.wire;

import static io.livepush.loadtest.wire.WireBytes.delimited;
import static io.livepush.loadtest.wire.WireBytes.joined;
import static io.livepush.loadtest.wire.WireBytes.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.codec.DelimitedProtobufDecoder;
import io.livepush.loadtest.wire.Splits.Delivery;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushTcpFramesTest {

    @Test
    void everySplitOfTwoMessagesGivesTheirSeqsAndSendTimes() {
        // The second frame's 300-byte payload makes its length prefix two bytes long.
        byte[] bytes = delimited(message(41, 1_000_001, 100), message(42, 1_000_002, 300));

        Splits.assertEverySplitDelivers(
                RawFraming.PUSH_TCP.parser(), bytes, List.of(new Delivery(41, 1_000_001), new Delivery(42, 1_000_002)));
    }

    @Test
    void otherFramesArePassedOnDecoded() {
        List<Delivery> got = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new RawStream(
                RawFraming.PUSH_TCP.parser().apply((seq, sent, now) -> got.add(new Delivery(seq, sent)))));

        ch.writeInbound(Unpooled.wrappedBuffer(delimited(joined(6), message(7, 5, 16))));

        assertThat((ServerFrame) ch.readInbound()).isEqualTo(joined(6));
        assertThat(got).containsExactly(new Delivery(7, 5));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aLengthAboveTheLimitFailsAtOnceAndNothingAfterItIsParsed() {
        // varint32 0x80 0x80 0x80 0x01 = 2 MiB, above the harness's 1 MiB; no body sent.
        byte[] prefix = {(byte) 0x80, (byte) 0x80, (byte) 0x80, 1};

        assertThat(Splits.deliverFailure(RawFraming.PUSH_TCP.parser(), prefix, delimited(message(1, 1, 16))))
                .isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void takingOverHandsTheBytesTheDecoderStillHeldToTheRawParser() {
        List<Delivery> got = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(
                new DelimitedProtobufDecoder<>(1 << 20, ServerFrame.parser()), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        RawFraming.PUSH_TCP.takeOver(
                                ctx.pipeline(), (seq, sent, now) -> got.add(new Delivery(seq, sent)));
                        ctx.pipeline().remove(this);
                    }
                });

        // One read: the joined answer the decoder decodes, then two messages it already holds when replaced.
        ch.writeInbound(Unpooled.wrappedBuffer(delimited(joined(0), message(1, 10, 16), message(2, 20, 16))));

        assertThat(got).containsExactly(new Delivery(1, 10), new Delivery(2, 20));
        assertThat(ch.pipeline().get(RawFraming.NAME)).isInstanceOf(RawStream.class);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
