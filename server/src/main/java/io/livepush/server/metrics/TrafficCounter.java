package io.livepush.server.metrics;

import java.util.concurrent.atomic.LongAdder;

/** Bytes one transport's connections received and sent, counted on the event loops without contention. */
public final class TrafficCounter {
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();

    public void received(long bytes) {
        received.add(bytes);
    }

    public void sent(long bytes) {
        sent.add(bytes);
    }

    long receivedTotal() {
        return received.sum();
    }

    long sentTotal() {
        return sent.sum();
    }
}
