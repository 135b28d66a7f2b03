package io.livepush.server.bootstrap;

import io.livepush.server.metrics.CloseReason;
import io.livepush.server.session.RefusalLog;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after the {@code SslHandler}: a connection that does not speak TLS, or whose handshake fails
 * (TLS 1.1, no common cipher, a client that distrusts the certificate), is closed with a rate-limited
 * line and no stack trace. On the web port it comes before any other handler that would catch it, and
 * nothing can be answered in the protocol on a connection without TLS. Other errors go on.
 */
@Sharable
final class TlsFailureHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsFailureHandler.class);

    private final RefusalLog refusals = new RefusalLog(log);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof NotSslRecordException) {
            // Not its message: that is a hex dump of what the client sent, a plaintext token included.
            refusals.info(
                    "not TLS",
                    "remote={}: a plaintext client on a TLS port?",
                    ctx.channel().remoteAddress());
            CloseReason.TLS_FAILED.markOn(ctx.channel());
            ctx.close();
        } else if (root instanceof SSLException) {
            refusals.info("TLS failed", "remote={}: {}", ctx.channel().remoteAddress(), root.getMessage());
            CloseReason.TLS_FAILED.markOn(ctx.channel());
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
