package io.livepush.server.handler;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.applet.VersionConflictException;
import io.livepush.server.channel.LogUnavailableException;
import io.livepush.server.session.RefusalLog;
import io.livepush.server.session.Replies;
import io.livepush.server.store.StoreFullException;
import io.livepush.server.sync.SpaceFullException;
import io.netty.channel.Channel;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a failed home-thread operation into the protocol error the client sees. */
final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);
    /** While Redis is away every request fails alike: a line now and then, not one with a stack trace each. */
    private static final RefusalLog unavailable = new RefusalLog(log);

    private final Replies replies;

    Failures(Replies replies) {
        this.replies = replies;
    }

    void answer(Channel ch, int requestId, String what, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RejectedExecutionException) {
            replies.error(ch, requestId, ErrorCode.RATE_LIMITED, "server busy, retry shortly");
        } else if (cause instanceof VersionConflictException) {
            replies.error(ch, requestId, ErrorCode.VERSION_CONFLICT, cause.getMessage());
        } else if (cause instanceof SpaceFullException) {
            replies.error(ch, requestId, ErrorCode.LIMIT_EXCEEDED, cause.getMessage());
        } else if (cause instanceof StoreFullException) {
            replies.error(ch, requestId, ErrorCode.LIMIT_EXCEEDED, "store is full");
        } else if (cause instanceof LogUnavailableException) {
            unavailable.info("cluster store unavailable", "{} failed: {}", what, cause.getMessage());
            replies.error(
                    ch,
                    requestId,
                    ErrorCode.INTERNAL,
                    what + " failed: the cluster's store is unavailable, retry shortly");
        } else {
            log.warn("{} failed", what, cause);
            replies.error(ch, requestId, ErrorCode.INTERNAL, what + " failed");
        }
    }
}
