package io.livepush.server.bootstrap;

import static io.livepush.server.bootstrap.ChannelHandlerNames.CONNECTION_LIMIT;
import static io.livepush.server.bootstrap.ChannelHandlerNames.DISPATCHER;
import static io.livepush.server.bootstrap.ChannelHandlerNames.TLS;
import static io.livepush.server.bootstrap.ChannelHandlerNames.TLS_FAILURES;
import static io.livepush.server.bootstrap.ChannelHandlerNames.TRAFFIC;
import static java.util.Objects.requireNonNull;

import io.livepush.server.handler.FrameDispatcher;
import io.livepush.server.metrics.ClientTransport;
import io.livepush.server.session.ConnectionDeadlines;
import io.livepush.server.session.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;

/**
 * The one pipeline of a client connection, for every transport:
 * <pre>
 *  traffic count → socket budget → [TLS → TLS failures] → [framing] → connection limit
 *  → dispatcher (lifecycle, request gate, routing, exceptions)
 * </pre>
 * TLS, when configured, is the same for both transports and comes first: everything after it sees
 * plain bytes.
 * Transports differ only by the {@link Framing} hook, which turns bytes into {@code ClientFrame}s and
 * {@code ServerFrame}s (and pre-encoded fan-out buffers) into bytes, then calls
 * {@link #addSessionHandlers}: at once for TCP, after the upgrade for WebSocket.
 */
final class PushChannelInitializer extends ChannelInitializer<Channel> {

    /** How a transport frames messages: the only part of the pipeline that differs between them. */
    interface Framing {
        /** Adds the framing handlers at the end of {@code p}, then (now or later) the session handlers. */
        void addFraming(ChannelPipeline p, PushChannelInitializer session);
    }

    private final ClientTransport transport;
    private final TrafficCountingHandler traffic;
    private final SocketBudget sockets;
    private final Framing framing;
    private final ConnectionDeadlines deadlines;
    private final WriteBufferWaterMark waterMark;
    private final ConnectionLimitHandler connectionLimit;
    private final FrameDispatcher dispatcher;
    private final ServerTls tls;

    /** @param tls null for plain connections */
    PushChannelInitializer(
            ClientTransport transport,
            TrafficCountingHandler traffic,
            SocketBudget sockets,
            Framing framing,
            ConnectionDeadlines deadlines,
            WriteBufferWaterMark waterMark,
            ConnectionLimitHandler connectionLimit,
            FrameDispatcher dispatcher,
            ServerTls tls) {
        this.transport = requireNonNull(transport, "transport");
        this.traffic = requireNonNull(traffic, "traffic");
        this.sockets = requireNonNull(sockets, "sockets");
        this.framing = requireNonNull(framing, "framing");
        this.deadlines = requireNonNull(deadlines, "deadlines");
        this.waterMark = requireNonNull(waterMark, "waterMark");
        this.connectionLimit = requireNonNull(connectionLimit, "connectionLimit");
        this.dispatcher = requireNonNull(dispatcher, "dispatcher");
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel ch) {
        deadlines.watch(Session.create(ch, transport));
        ch.config().setWriteBufferWaterMark(waterMark);
        ChannelPipeline p = ch.pipeline();
        p.addLast(TRAFFIC, traffic);
        p.addLast(ChannelHandlerNames.SOCKET_BUDGET, sockets);
        if (tls != null) {
            tls.addHandlers(ch, TLS, TLS_FAILURES);
        }
        framing.addFraming(p, this);
    }

    /**
     * The handlers after the framing. The connection limit comes first so that its GoAway is framed and
     * nothing that keeps per-connection state sees a refused connection.
     */
    void addSessionHandlers(ChannelPipeline p) {
        p.addLast(CONNECTION_LIMIT, connectionLimit);
        p.addLast(DISPATCHER, dispatcher);
    }
}
