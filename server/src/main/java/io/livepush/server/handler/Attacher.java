package io.livepush.server.handler;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Position;
import io.livepush.server.channel.Attachment;
import io.livepush.server.channel.ChannelRegistry;
import io.livepush.server.channel.Subscription;
import io.livepush.server.session.Replayer;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins and subscriptions share this: attach on the channel's home, then on the connection's loop
 * write the answer and start the replay. The home queues the answer onto the loop from inside its
 * task, so it precedes every live message the new member will get.
 */
final class Attacher {
    private static final Logger log = LoggerFactory.getLogger(Attacher.class);

    interface Answer {
        /** Writes (without flushing) the joined/subscribed answer; called on the connection's loop. */
        void write(Attachment attachment);
    }

    interface Failure {
        /** Undoes the session change after a failed attach; called on the connection's loop. */
        void undo();
    }

    private final ChannelRegistry registry;
    private final Replayer replayer;
    private final Replies replies;

    Attacher(ChannelRegistry registry, Replayer replayer, Replies replies) {
        this.registry = registry;
        this.replayer = replayer;
        this.replies = replies;
    }

    /** Returns false (and answers the client) when the channel's home is too busy to take it. */
    boolean attach(Session session, int requestId, Subscription sub, Position since, Answer answer, Failure failure) {
        BiConsumer<Attachment, RuntimeException> onHome = (a, error) -> {
            try {
                sub.connection().eventLoop().execute(() -> {
                    if (error != null) {
                        log.warn("attach to {} failed", sub.channel(), error);
                        failure.undo();
                        registry.detach(sub, () -> { });
                        replies.error(session.channel(), requestId, ErrorCode.INTERNAL, "could not open " + sub.channel());
                        return;
                    }
                    answer.write(a);
                    replayer.begin(session, sub, a);
                    session.channel().flush(); // the answer and the first replay page in one write
                });
            } catch (RejectedExecutionException e) {
                if (a != null) {
                    a.firstPage().release(); // the connection's loop is shutting down with it
                }
            }
        };
        try {
            registry.attach(sub, since, onHome);
            return true;
        } catch (RejectedExecutionException e) {
            failure.undo();
            replies.error(session.channel(), requestId, ErrorCode.RATE_LIMITED, "server busy, retry shortly");
            return false;
        }
    }
}
