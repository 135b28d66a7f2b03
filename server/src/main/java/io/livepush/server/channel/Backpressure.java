package io.livepush.server.channel;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * How long a connection's outbound buffer has been above its high water mark. Fan-out drops live
 * messages for an unwritable connection; one that stays unwritable too long is sent away.
 * Event-loop confined.
 */
public final class Backpressure {
    private static final AttributeKey<Backpressure> KEY = AttributeKey.valueOf("push.backpressure");

    private long unwritableSinceNanos;
    private boolean evicted;

    public static Backpressure of(Channel ch) {
        Backpressure b = ch.attr(KEY).get();
        if (b == null) {
            b = new Backpressure();
            ch.attr(KEY).set(b);
        }
        return b;
    }

    public void writabilityChanged(boolean writable, long nowNanos) {
        unwritableSinceNanos = writable ? 0 : nowNanos;
    }

    /** The connection is being sent away: it is not evicted a second time. */
    void sendingAway() {
        evicted = true;
    }

    /** True once, when the connection has been unwritable for longer than {@code timeoutNanos}. */
    boolean shouldEvict(long nowNanos, long timeoutNanos) {
        if (evicted || unwritableSinceNanos == 0 || nowNanos - unwritableSinceNanos < timeoutNanos) {
            return false;
        }
        evicted = true;
        return true;
    }
}
