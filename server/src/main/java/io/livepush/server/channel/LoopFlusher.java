package io.livepush.server.channel;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The connections of one event loop that fan-out wrote to and has not flushed yet. Delivery tasks only
 * add to {@link Outbox}es; the first of a pass arranges for this to run once the loop has run every
 * task it has (Netty's tail tasks, as Redis writes its clients' replies before it sleeps), so each
 * connection's batch goes out once for all the messages the loop handled in that turn: under load,
 * one write and one syscall carry many messages, and no task per connection. A turn that keeps
 * getting tasks is cut short once it holds {@link #MAX_PENDING_BYTES_PER_PASS}, so a busy loop still
 * sends within milliseconds. Confined to its event loop.
 */
final class LoopFlusher implements Runnable {
    /**
     * What a busy loop may hold back before it sends: with small messages some 60,000 deliveries, a
     * few milliseconds of copying. The larger a busy loop's pass, the more messages each member's send
     * carries: a cap of 16,384 deliveries held 1,000 members to 15–18 messages a send (docs/benchmarks.md).
     */
    static final int MAX_PENDING_BYTES_PER_PASS = 8 * 1024 * 1024;

    private final EventLoop loop;
    private final List<Outbox> written = new ArrayList<>();
    private boolean queued;
    private int pendingBytes;

    LoopFlusher(EventLoop loop) {
        this.loop = loop;
    }

    /** Called on the loop after adding {@code bytes} to {@code outbox}. */
    void written(Outbox outbox, int bytes) {
        if (!outbox.flushPending) {
            outbox.flushPending = true;
            written.add(outbox);
        }
        pendingBytes += bytes;
        if (pendingBytes >= MAX_PENDING_BYTES_PER_PASS) {
            flush();
        }
        if (!queued) {
            try {
                if (loop instanceof SingleThreadEventLoop turns) {
                    turns.executeAfterEventLoopIteration(this);
                } else {
                    loop.execute(this);
                }
                queued = true;
            } catch (RejectedExecutionException e) {
                // The loop is shutting down and closes its connections: nothing left to flush to.
            }
        }
    }

    @Override
    public void run() {
        queued = false;
        flush();
    }

    private void flush() {
        pendingBytes = 0;
        // By index: a flush can re-enter (a writability event, or a loop that runs tasks in flush) and
        // add or flush connections meanwhile; a second flushNow of a connection costs nothing.
        for (int i = 0; i < written.size(); i++) {
            written.get(i).flushNow();
        }
        written.clear();
    }
}
