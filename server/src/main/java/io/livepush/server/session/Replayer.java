package io.livepush.server.session;

import io.livepush.server.channel.Attachment;
import io.livepush.server.channel.ChannelRegistry;
import io.livepush.server.channel.ReplayFrame;
import io.livepush.server.channel.ReplayPage;
import io.livepush.server.channel.Subscription;
import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.Channel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a resumed channel's backlog page by page, asking for the next page only while the
 * connection is writable, so a long backlog never becomes one giant buffer. While a replay runs, live
 * delivery skips the subscription; each page is read up to the channel's last seq at that moment, so
 * the last page meets the live stream without a hole or a duplicate. Runs on the connection's loop.
 */
public final class Replayer {
    private static final Logger log = LoggerFactory.getLogger(Replayer.class);

    private final ChannelRegistry registry;
    private final PushMetrics metrics;

    public Replayer(ChannelRegistry registry, PushMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    /** Starts delivery for a new subscription, after its joined/subscribed answer was written. */
    public void begin(Session session, Subscription sub, Attachment a) {
        if (!a.recovered()) {
            sub.delivered(a.lastSeq());
            sub.replayDone();
            return;
        }
        deliver(session, sub, a.firstPage());
    }

    /** Resumes stalled replays once the connection drained below its low water mark. */
    public void writable(Session session) {
        Subscription sub;
        while (session.channel().isWritable() && (sub = session.stalledReplays().poll()) != null) {
            requestNext(session, sub);
        }
    }

    private void deliver(Session session, Subscription sub, ReplayPage page) {
        if (!sub.isActive()) {
            page.release();
            return;
        }
        Channel ch = sub.connection();
        int written = 0;
        for (ReplayFrame f : page.frames()) {
            if (f.seq() > sub.deliveredSeq()) {
                ch.write(f.frame(), ch.voidPromise());
                sub.delivered(f.seq());
                written++;
            } else {
                f.frame().release();
            }
        }
        ch.flush();
        metrics.replayed(written);
        if (!page.more()) {
            sub.replayDone();
        } else if (ch.isWritable()) {
            requestNext(session, sub);
        } else {
            session.stalledReplays().add(sub);
        }
    }

    private void requestNext(Session session, Subscription sub) {
        Channel ch = sub.connection();
        try {
            registry.readPage(sub.channel(), sub.deliveredSeq() + 1, (page, failure) -> {
                try {
                    ch.eventLoop().execute(() -> {
                        if (failure != null) {
                            log.warn("replay of {} failed; the client fills the gap with History", sub.channel(), failure);
                            sub.replayDone();
                        } else {
                            deliver(session, sub, page);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    if (page != null) {
                        page.release(); // the connection's loop is shutting down with it
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            ch.eventLoop().schedule(() -> requestNext(session, sub), 50, TimeUnit.MILLISECONDS);
        }
    }
}
