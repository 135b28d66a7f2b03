package io.livepush.server.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a last answer without losing the answer. Closing a socket while the peer
 * is still sending (the rest of an oversized frame, say) makes the kernel reset the connection, and a
 * reset can destroy the answer before the client reads it. So from the answer on, input is read and
 * dropped, nothing more is written (no delivery follows a fatal error), and the connection closes when
 * the peer closes its side (Netty closes on end of input) or {@link #GRACE_MILLIS} after the answer
 * was written, with nothing unread left to reset it.
 */
@Sharable
final class LingeringClose extends ChannelDuplexHandler {
    static final long GRACE_MILLIS = 1000;
    private static final LingeringClose INSTANCE = new LingeringClose();

    private LingeringClose() {}

    /**
     * Writes {@code last}, then the transport's own goodbye if it has one ({@code goodbye}: a WebSocket
     * Close frame, or null), then closes {@code ch} as above; a connection already closing gets nothing more.
     */
    static void writeAndClose(Channel ch, Object last, Object goodbye) {
        if (!ch.eventLoop().inEventLoop()) {
            ch.eventLoop().execute(() -> writeAndClose(ch, last, goodbye));
            return;
        }
        if (ch.pipeline().get(LingeringClose.class) != null) {
            ReferenceCountUtil.release(last);
            ReferenceCountUtil.release(goodbye);
            return;
        }
        if (goodbye != null) {
            ch.write(last, ch.voidPromise());
        }
        ch.writeAndFlush(goodbye != null ? goodbye : last).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ch.eventLoop().schedule(() -> ch.close(), GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                ch.close();
            }
        });
        // On the event loop the answer has passed the pipeline by now: only later writes meet this handler.
        ch.pipeline().addFirst(INSTANCE);
        ch.config().setAutoRead(true); // drain what the peer still sends (RequestGate may have paused reading)
    }

    /** Whether {@code ch} got its last answer and only lingers until it closes. */
    static boolean isClosing(Channel ch) {
        return ch.pipeline().get(LingeringClose.class) != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing reaches the decoders any more: nothing to complete
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
        if (!promise.isVoid()) {
            promise.tryFailure(new ClosedChannelException());
        }
    }
}
