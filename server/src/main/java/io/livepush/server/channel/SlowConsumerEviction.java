package io.livepush.server.channel;

import io.livepush.proto.v1.GoAway;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends a slow consumer away so that it learns why and when to come back. Its GoAway would wait
 * behind the whole backlog that made it slow, and a client that never reached it would reconnect at
 * once: so the backlog that has not started to go out is dropped first (the client fills the hole
 * from history after it reconnects), and the GoAway follows the frame the socket is in the middle
 * of. That is only safe where every buffered write is one whole frame: plain TCP. Elsewhere (a
 * WebSocket frame may be a header and a payload, a TLS record cannot be dropped) the GoAway waits
 * its turn. Either way the connection closes once the GoAway is out, or after {@link #GRACE_SECONDS}.
 */
public final class SlowConsumerEviction {
    static final int GRACE_SECONDS = 5;
    /** The user-defined writability bit that marks a connection sent away. */
    private static final int SENT_AWAY = 1;

    private SlowConsumerEviction() {}

    /** On {@code ch}'s event loop. */
    static void evict(Channel ch) {
        sendAway(ch, CloseReason.SLOW_CONSUMER, "slow consumer: too far behind");
    }

    /** On {@code ch}'s event loop: a GoAway with {@code reason} ahead of the backlog, then close for {@code why}. */
    static void sendAway(Channel ch, CloseReason why, String reason) {
        why.markOn(ch);
        Backpressure.of(ch).sendingAway();
        ch.config().setAutoRead(false); // no more requests: nothing but the GoAway is written from now on
        if (Outbox.of(ch).writesWholeFrames() && ch.pipeline().get(SslHandler.class) == null) {
            dropBacklog(ch);
        }
        // Jittered, so that the evicted clients of one burst do not all come back together.
        int retryMs = 1000 + ThreadLocalRandom.current().nextInt(4000);
        ServerFrame goAway = ServerFrame.newBuilder()
                .setGoAway(GoAway.newBuilder().setReason(reason).setReconnectAfterMs(retryMs))
                .build();
        ch.writeAndFlush(goAway).addListener(ChannelFutureListener.CLOSE);
        // Unwritable for good: fan-out drops what comes after (a live feed may still bring some), so the
        // GoAway is the last frame the client gets, at no cost to deliveries to other connections.
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        if (out != null) {
            out.setUserDefinedWritability(SENT_AWAY, false);
        }
        ch.eventLoop().schedule(() -> ch.close(), GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /** Keeps the buffered frame the socket has started on (its written part stays skipped) and drops the rest. */
    private static void dropBacklog(Channel ch) {
        ch.flush();
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        if (out == null || !(out.current() instanceof ByteBuf started)) {
            return;
        }
        started.retain();
        while (out.current() != null) {
            out.remove();
        }
        ch.write(started, ch.voidPromise());
    }
}
