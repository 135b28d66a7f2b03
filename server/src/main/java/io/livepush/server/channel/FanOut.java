package io.livepush.server.channel;

import io.livepush.codec.Frames;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.PushMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands a channel's frames to its members: each encoded once, then one {@link DeliveryTask} per event
 * loop that has members, for all the messages of a stored batch. Runs on the channel's home thread, so each loop gets the channel's frames in the
 * order the home produced them. A stored message is sequenced (gated by each member's replay state);
 * a push such as an applet state is not.
 */
final class FanOut {
    /** An event loop this far behind gets no more deliveries until it catches up: its queue stays bounded. */
    static final int MAX_LOOP_BACKLOG = 100_000;

    private final ByteBufAllocator alloc;
    private final PushMetrics metrics;
    private final long slowConsumerTimeoutNanos;

    FanOut(ByteBufAllocator alloc, PushMetrics metrics, Duration slowConsumerTimeout) {
        this.alloc = alloc;
        this.metrics = metrics;
        this.slowConsumerTimeoutNanos = slowConsumerTimeout.toNanos();
    }

    /**
     * Stored messages of one channel, in seq order (a stored batch): also kept encoded in the channel's
     * recent frames for resumes, where they are shared. One task per event loop carries them all.
     */
    void deliver(ChannelState st, List<Message> messages) {
        if (messages.isEmpty() || (st.groups().isEmpty() && !st.sharesRecentFrames())) {
            return; // nobody to deliver to, nobody to share a replay with: the store has it
        }
        ByteBuf[] frames = new ByteBuf[messages.size()];
        long[] seqs = new long[frames.length];
        for (int i = 0; i < frames.length; i++) {
            Message m = messages.get(i);
            frames[i] = Frames.encodeDelimited(
                    alloc, ServerFrame.newBuilder().setMessage(m).build());
            seqs[i] = m.getSeq();
            if (st.sharesRecentFrames()) {
                st.recent.add(m.getSeq(), frames[i].retain());
            }
        }
        deliver(st, frames, seqs);
    }

    /** A frame outside the message sequence, for every active member (replaying or not). */
    void push(ChannelState st, ServerFrame f) {
        if (!st.groups().isEmpty()) {
            deliver(st, new ByteBuf[] {Frames.encodeDelimited(alloc, f)}, new long[] {DeliveryTask.UNSEQUENCED});
        }
    }

    /** Hands {@code frames} (one reference each, released here) to each event loop with members. */
    private void deliver(ChannelState st, ByteBuf[] frames, long[] seqs) {
        long now = System.nanoTime();
        try {
            for (LoopMembers g : st.groups()) {
                Subscription[] members = g.snapshot();
                if (backlogged(g.loop)) {
                    // Members see a seq hole and fill it with History, or a version gap and ask AppletSync.
                    metrics.dropped(members.length * frames.length);
                    continue;
                }
                // Each loop gets its own copies: every member's write reads them, and one reference count
                // shared by loops on different cores would bounce between their caches.
                ByteBuf[] own = new ByteBuf[frames.length];
                for (int i = 0; i < frames.length; i++) {
                    own[i] = st.groups().size() == 1 ? frames[i].retain() : frames[i].copy();
                }
                try {
                    g.loop.execute(
                            new DeliveryTask(members, own, seqs, now, slowConsumerTimeoutNanos, metrics, g.flusher));
                } catch (RejectedExecutionException e) {
                    for (ByteBuf b : own) {
                        b.release(); // that event loop is shutting down with its connections
                    }
                }
            }
        } finally {
            for (ByteBuf frame : frames) {
                frame.release();
            }
        }
    }

    private static boolean backlogged(EventLoop loop) {
        return loop instanceof SingleThreadEventExecutor executor && executor.pendingTasks() > MAX_LOOP_BACKLOG;
    }
}
