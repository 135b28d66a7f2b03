package io.livepush.server.session;

import io.livepush.server.channel.Backpressure;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.Subscription;
import io.livepush.server.metrics.CloseReason;
import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection from admission to close: tracks writability for backpressure and stalled replays,
 * and on close takes the connection out of every channel it followed (its deadlines are
 * {@link ConnectionDeadlines}'). One INFO line per lifecycle event, never per message: a connected
 * client's close is one {@code disconnected} line with its reason (see {@link CloseReason}) and duration,
 * never a stack trace.
 *
 * <p>Not a pipeline stage of its own: the dispatcher, last in the pipeline, tells it of each event, so
 * a connection does not pay a handler context (64 B) for it.
 */
public final class ConnectionLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLifecycle.class);

    private final ChannelEngine registry;
    private final SessionRegistry sessions;
    private final PushMetrics metrics;

    public ConnectionLifecycle(ChannelEngine registry, SessionRegistry sessions, PushMetrics metrics) {
        this.registry = registry;
        this.sessions = sessions;
        this.metrics = metrics;
    }

    /** The connection was admitted (it passed the connection limit). */
    public void opened(Channel ch) {
        Session s = Session.of(ch);
        if (s != null) {
            metrics.connectionOpened(s.transport());
        }
    }

    public void closed(Channel ch) {
        Session s = Session.of(ch);
        if (s != null) {
            close(s);
        }
    }

    public void writabilityChanged(Channel ch) {
        Backpressure.of(ch).writabilityChanged(ch.isWritable(), System.nanoTime());
        if (ch.isWritable()) {
            registry.replay().writable(ch);
        }
    }

    private void close(Session s) {
        CloseReason reason = CloseReason.of(s.channel());
        metrics.connectionClosed(s.transport(), reason);
        if (s.room() != null) {
            leave(s.room());
            s.room(null);
        }
        s.subscriptions().values().forEach(this::leave);
        s.subscriptions().clear();
        if (s.isConnected()) {
            sessions.remove(s.userId(), s.channel());
            log.info(
                    "disconnected session={} user={} transport={} reason={} duration_ms={} remote={}",
                    s.id(),
                    s.userId(),
                    s.transport().label(),
                    reason.label(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.openedNanos()),
                    s.channel().remoteAddress());
        }
    }

    private void leave(Subscription sub) {
        registry.detach(sub, () -> {});
    }
}
