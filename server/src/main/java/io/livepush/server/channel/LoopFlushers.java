package io.livepush.server.channel;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link LoopFlusher} per event loop, shared by every channel with members on that loop. */
final class LoopFlushers {
    private final ConcurrentHashMap<EventLoop, LoopFlusher> flushers = new ConcurrentHashMap<>();

    LoopFlusher of(EventLoop loop) {
        return flushers.computeIfAbsent(loop, LoopFlusher::new);
    }
}
