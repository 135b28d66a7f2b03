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
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands one frame to a channel's members: encoded once, then one {@link DeliveryTask} per event loop
 * that has members. Runs on the channel's home thread, so each loop gets the channel's frames in the
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

    /** A stored message: also kept encoded in the channel's recent frames for resumes, where they are shared. */
    void deliver(ChannelState st, Message m) {
        if (st.groups().isEmpty() && !st.sharesRecentFrames()) {
            return; // nobody to deliver to, nobody to share a replay with: the store has it
        }
        ByteBuf frame = Frames.encodeDelimited(
                alloc, ServerFrame.newBuilder().setMessage(m).build());
        if (st.sharesRecentFrames()) {
            st.recent.add(m.getSeq(), frame.retain());
        }
        deliver(st, frame, m.getSeq());
    }

    /** A frame outside the message sequence, for every active member (replaying or not). */
    void push(ChannelState st, ServerFrame f) {
        if (!st.groups().isEmpty()) {
            deliver(st, Frames.encodeDelimited(alloc, f), DeliveryTask.UNSEQUENCED);
        }
    }

    /** Hands {@code frame} (one reference, released here) to each event loop with members. */
    private void deliver(ChannelState st, ByteBuf frame, long seq) {
        long now = System.nanoTime();
        try {
            for (LoopMembers g : st.groups()) {
                Subscription[] members = g.snapshot();
                if (backlogged(g.loop)) {
                    // Members see a seq hole and fill it with History, or a version gap and ask AppletSync.
                    metrics.dropped(members.length);
                    continue;
                }
                // Each loop gets its own copy: every member's write takes and gives back a reference,
                // and one count shared by loops on different cores would bounce between their caches.
                ByteBuf own = st.groups().size() == 1 ? frame.retain() : frame.copy();
                try {
                    g.loop.execute(
                            new DeliveryTask(members, own, seq, now, slowConsumerTimeoutNanos, metrics, g.flusher));
                } catch (RejectedExecutionException e) {
                    own.release(); // that event loop is shutting down with its connections
                }
            }
        } finally {
            frame.release();
        }
    }

    private static boolean backlogged(EventLoop loop) {
        return loop instanceof SingleThreadEventExecutor executor && executor.pendingTasks() > MAX_LOOP_BACKLOG;
    }
}
