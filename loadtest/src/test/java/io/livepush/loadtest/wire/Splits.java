package io.livepush.loadtest.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Feeds a stream's bytes to a fresh {@link RawStream} in reads cut anywhere, and records what it delivers. */
final class Splits {
    /** One delivery, without its receive time. */
    record Delivery(long seq, long sentNanos) {}

    private Splits() {}

    /**
     * What a raw stream of {@code parser} delivers when {@code bytes} arrive in reads cut at {@code cuts}: the same
     * from heap buffers as from direct ones (what the native transports read into, read at their address).
     */
    static List<Delivery> deliver(Function<Deliveries, FrameParser> parser, byte[] bytes, int... cuts) {
        List<Delivery> fromHeap = deliver(parser, bytes, false, cuts);
        assertThat(deliver(parser, bytes, true, cuts)).as("from direct buffers").isEqualTo(fromHeap);
        return fromHeap;
    }

    private static List<Delivery> deliver(
            Function<Deliveries, FrameParser> parser, byte[] bytes, boolean direct, int... cuts) {
        List<Delivery> got = new ArrayList<>();
        EmbeddedChannel ch =
                new EmbeddedChannel(new RawStream(parser.apply((seq, sent, now) -> got.add(new Delivery(seq, sent)))));
        int from = 0;
        for (int cut : cuts) {
            ch.writeInbound(read(bytes, from, cut - from, direct));
            from = cut;
        }
        ch.writeInbound(read(bytes, from, bytes.length - from, direct));
        ch.finishAndReleaseAll();
        return got;
    }

    private static ByteBuf read(byte[] bytes, int from, int length, boolean direct) {
        return direct
                ? Unpooled.directBuffer(length).writeBytes(bytes, from, length)
                : Unpooled.copiedBuffer(bytes, from, length);
    }

    /**
     * What a raw stream of {@code parser} throws for {@code bad}, having checked that it delivers nothing after
     * it: a valid-looking frame that follows is not parsed, since no frame boundary is left to trust.
     */
    static Throwable deliverFailure(Function<Deliveries, FrameParser> parser, byte[] bad, byte[] valid) {
        List<Delivery> got = new ArrayList<>();
        EmbeddedChannel ch =
                new EmbeddedChannel(new RawStream(parser.apply((seq, sent, now) -> got.add(new Delivery(seq, sent)))));
        Throwable thrown = catchThrowable(() -> ch.writeInbound(Unpooled.copiedBuffer(bad)));
        ch.writeInbound(Unpooled.copiedBuffer(valid));
        assertThat(got).as("delivered after a bad frame").isEmpty();
        ch.finishAndReleaseAll();
        return thrown;
    }

    /** Cut into two reads at every byte boundary, and one byte per read, {@code bytes} deliver {@code expected}. */
    static void assertEverySplitDelivers(
            Function<Deliveries, FrameParser> parser, byte[] bytes, List<Delivery> expected) {
        for (int cut = 1; cut < bytes.length; cut++) {
            assertThat(deliver(parser, bytes, cut)).as("cut at %d", cut).isEqualTo(expected);
        }
        int[] everyByte = new int[bytes.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(deliver(parser, bytes, everyByte)).as("one byte per read").isEqualTo(expected);
    }
}
