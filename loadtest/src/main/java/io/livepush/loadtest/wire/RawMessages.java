package io.livepush.loadtest.wire;

/** Where a raw parser hands each message it found, as it lies in the read ({@link RawMessage}). */
@FunctionalInterface
public interface RawMessages {

    /** One message, valid only during the call, and when the read that held it arrived. */
    void accept(RawMessage message, long nowNanos);
}
