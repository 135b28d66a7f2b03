package io.livepush.server.session;

import io.livepush.proto.v1.Error;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.Channel;

/** Writes answers and errors to a connection; counts errors by code. Thread-safe. */
public final class Replies {
    private final PushMetrics metrics;

    public Replies(PushMetrics metrics) {
        this.metrics = metrics;
    }

    public void send(Channel ch, int replyTo, ServerFrame.Builder frame) {
        ch.writeAndFlush(frame.setReplyTo(replyTo).build(), ch.voidPromise());
    }

    /** An answer that more frames follow at once: the caller flushes them together. */
    public void write(Channel ch, int replyTo, ServerFrame.Builder frame) {
        ch.write(frame.setReplyTo(replyTo).build(), ch.voidPromise());
    }

    /** An error the connection survives. */
    public void error(Channel ch, int replyTo, ErrorCode code, String message) {
        metrics.error(code);
        ch.writeAndFlush(errorFrame(replyTo, code, message, false), ch.voidPromise());
    }

    /** An error after which the server closes the connection (once the client could read it). */
    public void fatal(Channel ch, int replyTo, ErrorCode code, String message) {
        metrics.error(code);
        LingeringClose.writeAndClose(ch, errorFrame(replyTo, code, message, true), WebSocketCloses.after(ch, code, message));
    }

    private static ServerFrame errorFrame(int replyTo, ErrorCode code, String message, boolean fatal) {
        return ServerFrame.newBuilder()
                .setReplyTo(replyTo)
                .setError(Error.newBuilder().setCode(code).setMessage(message).setFatal(fatal))
                .build();
    }
}
