package io.livepush.server.channel;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The members of one event loop that fan-out wrote to and has not flushed yet. Delivery tasks only
 * write; the first write of a pass queues this behind the tasks already waiting, so each connection
 * is flushed once for every message of the pass: one syscall per connection per pass instead of one
 * per message, and no task per connection. Confined to its event loop.
 */
final class LoopFlusher implements Runnable {
    private final EventLoop loop;
    private final List<Subscription> written = new ArrayList<>();
    private boolean queued;

    LoopFlusher(EventLoop loop) {
        this.loop = loop;
    }

    /** Called on the loop after writing to {@code s}'s connection. */
    void written(Subscription s) {
        if (!s.flushPending) {
            s.flushPending = true;
            written.add(s);
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
        for (Subscription s : written) {
            s.flushPending = false;
            s.out().flush();
        }
        written.clear();
    }
}
