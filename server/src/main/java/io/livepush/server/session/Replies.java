package io.livepush.server.session;

import io.livepush.proto.v1.Error;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.CloseReason;
import io.livepush.server.metrics.Limit;
import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.Channel;

/**
 * Writes answers and errors to a connection; counts errors by code. Thread-safe. Every request gets
 * exactly one answer through here, which is how {@link RequestGate} knows it was answered.
 */
public final class Replies {
    private final PushMetrics metrics;

    public Replies(PushMetrics metrics) {
        this.metrics = metrics;
    }

    public void send(Channel ch, int replyTo, ServerFrame.Builder frame) {
        ch.writeAndFlush(frame.setReplyTo(replyTo).build(), ch.voidPromise());
        RequestGate.answered(ch);
    }

    /** An answer that more frames follow at once: the caller flushes them together. */
    public void write(Channel ch, int replyTo, ServerFrame.Builder frame) {
        ch.write(frame.setReplyTo(replyTo).build(), ch.voidPromise());
        RequestGate.answered(ch);
    }

    /** An error the connection survives. */
    public void error(Channel ch, int replyTo, ErrorCode code, String message) {
        metrics.error(code);
        ch.writeAndFlush(errorFrame(replyTo, code, message, false), ch.voidPromise());
        RequestGate.answered(ch);
    }

    /** A request refused by a rate limit: the client may send it again after {@code retryAfterMs}. */
    public void rateLimited(Channel ch, int replyTo, Limit limit, String message, long retryAfterMs) {
        metrics.limitRefused(limit);
        metrics.error(ErrorCode.RATE_LIMITED);
        ch.writeAndFlush(
                ServerFrame.newBuilder()
                        .setReplyTo(replyTo)
                        .setError(Error.newBuilder()
                                .setCode(ErrorCode.RATE_LIMITED)
                                .setMessage(message)
                                .setRetryAfterMs((int) Math.max(1, retryAfterMs)))
                        .build(),
                ch.voidPromise());
        RequestGate.answered(ch);
    }

    /** A request refused by a limit that waiting does not lift. */
    public void limitExceeded(Channel ch, int replyTo, Limit limit, String message) {
        metrics.limitRefused(limit);
        error(ch, replyTo, ErrorCode.LIMIT_EXCEEDED, message);
    }

    /** A connection refused by a limit (too many of its user's, a ban): a fatal error. */
    public void refused(Channel ch, int replyTo, Limit limit, ErrorCode code, String message) {
        metrics.limitRefused(limit);
        fatal(ch, replyTo, code, message);
    }

    /** An error after which the server closes the connection (once the client could read it). */
    public void fatal(Channel ch, int replyTo, ErrorCode code, String message) {
        metrics.error(code);
        CloseReason.fatal(code).markOn(ch);
        LingeringClose.writeAndClose(
                ch, errorFrame(replyTo, code, message, true), WebSocketCloses.after(ch, code, message));
    }

    private static ServerFrame errorFrame(int replyTo, ErrorCode code, String message, boolean fatal) {
        return ServerFrame.newBuilder()
                .setReplyTo(replyTo)
                .setError(Error.newBuilder().setCode(code).setMessage(message).setFatal(fatal))
                .build();
    }
}
