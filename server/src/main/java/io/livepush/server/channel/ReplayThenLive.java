package io.livepush.server.channel;

import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Replay, then live, no holes, no duplicates" (PROTOCOL.md semantics 1 and 2), for one connection's
 * subscriptions, on the connection's event loop.
 *
 * <p>A resuming subscription is attached with {@code replaying} set: live delivery skips it. Its
 * backlog is replayed page by page, the next page asked for only while the connection is writable,
 * so a long backlog never becomes one giant buffer. Each page is read on the channel's home up to the
 * channel's last seq at that moment; live frames queued after that read carry higher seqs. When a
 * page reaches the end, {@code replaying} is cleared and live delivery takes over from the next seq:
 * every seq is written once, by the replay or by fan-out, because both go through
 * {@code deliveredSeq} here.
 */
public final class ReplayThenLive {
    /** Reads a replay page on the channel's home. */
    interface Pages {
        void read(Subscription sub, long fromSeq, Reply<ReplayPage> reply);
    }

    private static final Logger log = LoggerFactory.getLogger(ReplayThenLive.class);
    private static final AttributeKey<ArrayDeque<Subscription>> STALLED = AttributeKey.valueOf("push.stalledReplays");

    /** A busy home is asked again after this long: the replay must not end in a hole because of load. */
    private static final long BUSY_RETRY_MS = 50;

    private final Pages pages;
    private final PushMetrics metrics;

    ReplayThenLive(Pages pages, PushMetrics metrics) {
        this.pages = pages;
        this.metrics = metrics;
    }

    /** Whether fan-out should write live message {@code seq} to {@code s}; {@link #wroteLive} if it does. */
    static boolean wantsLive(Subscription s, long seq) {
        return s.active && !s.replaying && seq > s.deliveredSeq;
    }

    /** Whether fan-out should write a frame outside the message sequence (an applet state). */
    static boolean wantsPush(Subscription s) {
        return s.active;
    }

    static void wroteLive(Subscription s, long seq) {
        s.deliveredSeq = seq;
    }

    /** The connection stops following the channel: nothing more is written for it. */
    static void stop(Subscription s) {
        s.active = false;
    }

    /**
     * Starts delivery for a new subscription, right after its joined/subscribed answer was written:
     * live from the channel's last seq, or the replay's first page when it resumed.
     */
    void begin(Subscription sub, Attachment a) {
        if (sub.replaying) { // asked to resume
            metrics.resumed(a.recovered());
        }
        if (!a.recovered()) {
            a.firstPage().release();
            sub.deliveredSeq = Math.max(sub.deliveredSeq, a.lastSeq());
            sub.replaying = false;
            return;
        }
        // Everything up to the client's seq is behind it: the replay reads on from there.
        sub.deliveredSeq = Math.max(sub.deliveredSeq, a.lastSeq() - a.replayed());
        deliver(sub, a.firstPage());
    }

    /**
     * Starts delivery for a foreground's subscription, whose answer waited for the connection's other
     * channels: everything after {@code afterSeq} is read page by page as a replay, live messages
     * published while the answer waited included (live delivery skipped them), then live delivery
     * takes over.
     */
    public void catchUp(Subscription sub, long afterSeq) {
        sub.deliveredSeq = Math.max(sub.deliveredSeq, afterSeq);
        deliver(sub, ReplayPage.UNREAD);
    }

    /** Resumes stalled replays once the connection drained below its low water mark. */
    public void writable(Channel ch) {
        // hasAttr first: attr() would add an empty attribute to every connection whose writability changes.
        ArrayDeque<Subscription> stalled =
                ch.hasAttr(STALLED) ? ch.attr(STALLED).get() : null;
        Subscription sub;
        while (stalled != null && ch.isWritable() && (sub = stalled.poll()) != null) {
            requestNext(sub);
        }
    }

    private void deliver(Subscription sub, ReplayPage page) {
        if (!sub.active) {
            page.release();
            return;
        }
        Channel ch = sub.connection();
        Outbox outbox = sub.outbox();
        int written = 0;
        for (ReplayFrame f : page.frames()) {
            if (f.seq() > sub.deliveredSeq) {
                outbox.append(f.frame()); // the page goes out as one batch
                sub.deliveredSeq = f.seq();
                written++;
            }
            f.frame().release();
        }
        outbox.flushNow();
        metrics.replayed(written);
        if (!page.more()) {
            sub.replaying = false;
        } else if (ch.isWritable()) {
            requestNext(sub);
        } else {
            stalled(ch).add(sub);
        }
    }

    private void requestNext(Subscription sub) {
        pages.read(sub, sub.deliveredSeq + 1, Reply.on(sub.connection().eventLoop(), (page, failure) -> {
            if (failure instanceof RejectedExecutionException) {
                sub.connection().eventLoop().schedule(() -> requestNext(sub), BUSY_RETRY_MS, TimeUnit.MILLISECONDS);
            } else if (failure != null) {
                // Live delivery takes over; the client sees the hole in seq and fills it with History.
                log.warn("replay of {} failed: {}", sub.channel(), failure.toString());
                sub.replaying = false;
            } else {
                deliver(sub, page);
            }
        }));
    }

    private static ArrayDeque<Subscription> stalled(Channel ch) {
        ArrayDeque<Subscription> q = ch.attr(STALLED).get();
        if (q == null) {
            q = new ArrayDeque<>(2);
            ch.attr(STALLED).set(q);
        }
        return q;
    }
}
