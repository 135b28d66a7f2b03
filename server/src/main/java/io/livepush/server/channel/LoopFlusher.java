package io.livepush.server.channel;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The connections of one event loop that fan-out wrote to and has not flushed yet. Delivery tasks only
 * add to {@link Outbox}es; the first of a pass queues this behind the tasks already waiting, so each
 * connection's batch goes out once for every message of the pass: one write and one syscall per
 * connection per pass instead of one per message, and no task per connection. Confined to its event
 * loop.
 */
final class LoopFlusher implements Runnable {
    private final EventLoop loop;
    private final List<Outbox> written = new ArrayList<>();
    private boolean queued;

    LoopFlusher(EventLoop loop) {
        this.loop = loop;
    }

    /** Called on the loop after adding to {@code outbox}. */
    void written(Outbox outbox) {
        if (!outbox.flushPending) {
            outbox.flushPending = true;
            written.add(outbox);
        }
        if (!queued) {
            try {
                loop.execute(this);
                queued = true;
            } catch (RejectedExecutionException e) {
                // The loop is shutting down and closes its connections: nothing left to flush to.
            }
        }
    }

    @Override
    public void run() {
        queued = false;
        for (Outbox outbox : written) {
            outbox.flushNow();
        }
        written.clear();
    }
}
