package io.livepush.loadtest.wire;

/** Where a raw parser hands each message it found: a subscriber's {@code Reception::accept}. */
@FunctionalInterface
public interface Deliveries {

    /** One message: its seq, the send time from its payload, and when the read that held it arrived. */
    void accept(long seq, long sentNanos, long nowNanos);
}
