package io.livepush.server.bootstrap;

import static java.util.Objects.requireNonNull;

import io.livepush.server.metrics.TrafficCounter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First in a client pipeline: counts the bytes read from and handed to the socket (TLS records
 * included), so {@code push_received_bytes_total} and {@code push_sent_bytes_total} are what the network
 * carries (on the web port, page loads and the WebSocket upgrade too). One per transport, shared by its
 * connections; an add to a {@code LongAdder} per read and write.
 */
@Sharable
final class TrafficCountingHandler extends ChannelDuplexHandler {
    private final TrafficCounter counter;

    TrafficCountingHandler(TrafficCounter counter) {
        this.counter = requireNonNull(counter, "counter");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        counter.received(sizeOf(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        counter.sent(sizeOf(msg));
        ctx.write(msg, promise);
    }

    private static long sizeOf(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        return msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    }
}
