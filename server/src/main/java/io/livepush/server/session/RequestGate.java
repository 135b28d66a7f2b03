package io.livepush.server.session;

import io.livepush.proto.v1.ErrorCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Reads a connection's requests only as fast as it takes their answers. At most
 * {@link #MAX_IN_FLIGHT} requests of a connection are being answered at once, and none is started
 * while its outbound buffer is above the high-water mark; the frames that arrive meanwhile wait here
 * and the connection stops reading. A client that pipelines requests and never reads therefore holds
 * a bounded amount of memory (its answers in flight plus one read), and cannot fill a channel's home
 * with work nobody will take.
 *
 * <p>Not a pipeline stage of its own (which would cost every connection 64 B): the handler that runs
 * requests passes each one through {@link #offer} and tells it of writability changes and the close.
 */
public final class RequestGate {
    /** Enough to keep a pipelining publisher busy over a fast link; each answer is at most about 1 MiB. */
    static final int MAX_IN_FLIGHT = 16;
    /**
     * Frames decoded from the read that stopped the connection. Reading stops after that read, so this
     * only trips for frames far smaller than any real request.
     */
    static final int MAX_WAITING = 8192;

    /** What runs a request once the gate lets it through. */
    public interface Requests {
        void start(ChannelHandlerContext ctx, Object request);
    }

    private final Replies replies;

    public RequestGate(Replies replies) {
        this.replies = replies;
    }

    /**
     * Per connection while it has requests being answered or waiting, on its event loop; the queue is made
     * only for a connection that ever waits. Dropped once the last answer is out: most connections are idle.
     */
    static final class Window {
        private final ChannelHandlerContext ctx;
        private final Requests requests;
        private int inFlight;
        private ArrayDeque<Object> waiting;
        /** Set while {@link #resume} starts requests: an answer given at once must not start more itself. */
        private boolean resuming;

        Window(ChannelHandlerContext ctx, Requests requests) {
            this.ctx = ctx;
            this.requests = requests;
        }

        boolean mayStart(Channel ch) {
            return inFlight < MAX_IN_FLIGHT && ch.isWritable();
        }

        private boolean isEmpty() {
            return waiting == null || waiting.isEmpty();
        }
    }

    /** Starts {@code request} through {@code requests} now if the window allows, else keeps it and stops reading. */
    public void offer(ChannelHandlerContext ctx, Object request, Requests requests) {
        Session s = Session.of(ctx.channel());
        Window w = s.requests();
        if (w == null) {
            w = new Window(ctx, requests);
            s.requests(w);
        }
        if (w.isEmpty() && w.mayStart(ctx.channel())) {
            w.inFlight++;
            requests.start(ctx, request);
            return;
        }
        if (w.waiting == null) {
            w.waiting = new ArrayDeque<>();
        }
        if (w.waiting.size() >= MAX_WAITING) {
            ReferenceCountUtil.release(request);
            replies.fatal(ctx.channel(), 0, ErrorCode.RATE_LIMITED, "too many requests waiting for their answers");
            return;
        }
        w.waiting.add(request);
        ctx.channel().config().setAutoRead(false);
    }

    /** The connection's writability changed: waiting requests may start. */
    public void writabilityChanged(Channel ch) {
        if (ch.isWritable()) {
            Session s = Session.of(ch);
            if (s != null && s.requests() != null) {
                resume(s, s.requests());
            }
        }
    }

    /** The connection closed: what still waits is dropped. */
    public void closed(Channel ch) {
        Session s = Session.of(ch);
        Window w = s == null ? null : s.requests();
        if (w != null && w.waiting != null) {
            w.waiting.forEach(ReferenceCountUtil::release);
            w.waiting.clear();
        }
    }

    /** One request of {@code ch} got its answer (called by {@link Replies}, on the connection's loop). */
    static void answered(Channel ch) {
        if (!ch.eventLoop().inEventLoop()) {
            ch.eventLoop().execute(() -> answered(ch));
            return;
        }
        Session s = Session.of(ch);
        Window w = s == null ? null : s.requests();
        if (w == null) {
            return;
        }
        if (w.inFlight > 0) {
            w.inFlight--;
        }
        resume(s, w);
    }

    /**
     * Starts waiting requests while the window allows, reads again once none waits, and drops the window
     * once nothing is in flight and the connection reads.
     */
    private static void resume(Session s, Window w) {
        Channel ch = s.channel();
        if (w.resuming || LingeringClose.isClosing(ch)) {
            return;
        }
        w.resuming = true;
        try {
            while (!w.isEmpty() && w.mayStart(ch) && !LingeringClose.isClosing(ch)) {
                w.inFlight++;
                w.requests.start(w.ctx, w.waiting.poll());
            }
        } finally {
            w.resuming = false;
        }
        if (w.isEmpty() && w.mayStart(ch) && !ch.config().isAutoRead()) {
            ch.config().setAutoRead(true);
        }
        if (w.inFlight == 0 && w.isEmpty() && ch.config().isAutoRead() && s.requests() == w) {
            s.requests(null);
        }
    }
}
