package io.livepush.server.channel;

import io.livepush.server.metrics.PushMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Frames of a channel for the members of one event loop (the messages of one stored batch, in seq
 * order, or one push): each was encoded once by the home and every member gets a copy of it. A
 * message frame carries its seq, which gates it against
 * the member's replay; an {@link #UNSEQUENCED} frame (an applet state) goes to every active member.
 * Runs on that event loop, so it touches each member's delivery state without locks. It only adds
 * the frame to each member's {@link Outbox}: the loop's {@link LoopFlusher} sends each connection's
 * batch once after the pass.
 */
final class DeliveryTask implements Runnable {
    /** The seq of a frame that is not a channel message (message seqs start at 1). */
    static final long UNSEQUENCED = 0;

    private final Subscription[] members;
    private final ByteBuf[] frames;
    private final long[] seqs;
    private final long publishedNanos;
    private final long slowConsumerTimeoutNanos;
    private final PushMetrics metrics;
    private final LoopFlusher flusher;

    DeliveryTask(
            Subscription[] members,
            ByteBuf[] frames,
            long[] seqs,
            long publishedNanos,
            long slowConsumerTimeoutNanos,
            PushMetrics metrics,
            LoopFlusher flusher) {
        this.members = members;
        this.flusher = flusher;
        this.frames = frames;
        this.seqs = seqs;
        this.publishedNanos = publishedNanos;
        this.slowConsumerTimeoutNanos = slowConsumerTimeoutNanos;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        int delivered = 0;
        int dropped = 0;
        try {
            for (Subscription s : members) {
                Channel ch = s.connection();
                Outbox outbox = s.outbox();
                for (int i = 0; i < frames.length; i++) {
                    long seq = seqs[i];
                    if (seq == UNSEQUENCED ? !ReplayThenLive.wantsPush(s) : !ReplayThenLive.wantsLive(s, seq)) {
                        continue;
                    }
                    if (!ch.isWritable() && !flushedToWritable(outbox, ch)) {
                        dropped++;
                        evictIfStuck(ch, now);
                        continue;
                    }
                    if (seq != UNSEQUENCED) {
                        ReplayThenLive.wroteLive(s, seq);
                    }
                    outbox.append(frames[i]);
                    flusher.written(outbox, frames[i].readableBytes());
                    delivered++;
                }
            }
        } finally {
            for (ByteBuf frame : frames) {
                frame.release();
            }
        }
        if (delivered > 0) {
            metrics.delivered(delivered);
            metrics.deliveryLatency(now - publishedNanos);
        }
        if (dropped > 0) {
            metrics.dropped(dropped);
        }
    }

    /** Writes of this pass not flushed yet count against the high-water mark: a healthy reader takes them now. */
    private static boolean flushedToWritable(Outbox outbox, Channel ch) {
        if (!outbox.flushPending) {
            return false;
        }
        outbox.flushNow();
        return ch.isWritable();
    }

    private void evictIfStuck(Channel ch, long now) {
        if (Backpressure.of(ch).shouldEvict(now, slowConsumerTimeoutNanos)) {
            metrics.slowConsumerClosed();
            SlowConsumerEviction.evict(ch);
        }
    }
}
