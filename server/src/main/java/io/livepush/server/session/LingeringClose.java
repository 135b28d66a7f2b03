package io.livepush.server.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a last answer without losing the answer. Closing a socket while the peer
 * is still sending (the rest of an oversized frame, say) makes the kernel reset the connection, and a
 * reset can destroy the answer before the client reads it. So input is discarded from here on and the
 * connection closes when the peer closes its side (Netty closes on end of input) or
 * {@link #GRACE_MILLIS} after the answer was written, with nothing unread left to reset it.
 */
@Sharable
final class LingeringClose extends ChannelInboundHandlerAdapter {
    static final long GRACE_MILLIS = 1000;
    private static final LingeringClose INSTANCE = new LingeringClose();

    private LingeringClose() {
    }

    /** Writes {@code last}, then closes {@code ch} as above. */
    static void writeAndClose(Channel ch, Object last) {
        if (ch.pipeline().get(LingeringClose.class) == null) {
            ch.pipeline().addFirst(INSTANCE);
        }
        ch.writeAndFlush(last).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ch.eventLoop().schedule(() -> ch.close(), GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                ch.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing reaches the decoders any more: nothing to complete
    }
}
