package io.livepush.server.channel;

/**
 * The rate cap of one room's join/leave events: at most {@link #PER_SECOND} per second, the rest dropped and
 * counted, so a mass reconnect of N members is not N² pushes. Touched only by the room's home thread.
 */
final class MemberEventCap {
    static final int PER_SECOND = 10;

    /** Long.MIN_VALUE before the first event (a difference from it would overflow). */
    private long windowStartMs = Long.MIN_VALUE;

    private int sentInWindow;
    private int skipped;

    /**
     * Whether an event at {@code nowMs} may be sent; when not, it is counted for {@link #takeSkipped()}.
     */
    boolean tryAcquire(long nowMs) {
        if (windowStartMs == Long.MIN_VALUE || nowMs - windowStartMs >= 1_000) {
            windowStartMs = nowMs;
            sentInWindow = 0;
        }
        if (sentInWindow < PER_SECOND) {
            sentInWindow++;
            return true;
        }
        skipped++;
        return false;
    }

    /** The events dropped since the last one sent; resets the count. */
    int takeSkipped() {
        int n = skipped;
        skipped = 0;
        return n;
    }
}
