package io.livepush.server.channel;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's latest messages as the frames fan-out already encoded, so that a client resuming
 * within them is replayed without reading the store or encoding anything again: after a mass
 * reconnect every member of a room asks for the same few messages at once. The seqs held are
 * contiguous; each channel holds at most {@code capacity} frames and all channels together at most
 * the {@link FrameBudget}. Confined to the channel's home thread.
 */
final class RecentFrames {
    private static final ByteBuf[] EMPTY = new ByteBuf[0];
    private static final int INITIAL_SLOTS = 8;

    private final int capacity;
    private final FrameBudget budget;
    private ByteBuf[] ring = EMPTY; // length 0 or a power of two
    private int head;
    private int size;
    private long firstSeq;

    /** @param capacity the most frames held (rounded up to a power of two), 0 to hold none */
    RecentFrames(int capacity, FrameBudget budget) {
        this.capacity = capacity <= 1 ? Math.max(0, capacity) : Integer.highestOneBit(capacity - 1) << 1;
        this.budget = budget;
    }

    /** Keeps {@code frame} (takes over one reference) as message {@code seq}, the newest. */
    void add(long seq, ByteBuf frame) {
        if (size > 0 && seq != firstSeq + size) {
            clear(); // not the next seq: keep what is held contiguous
        }
        if (capacity == 0) {
            frame.release();
            return;
        }
        if (size == capacity) {
            evictOldest();
        }
        int bytes = frame.readableBytes();
        while (!budget.tryTake(bytes)) {
            if (size == 0) {
                frame.release(); // other channels hold the budget
                return;
            }
            evictOldest();
        }
        if (size == ring.length) {
            grow();
        }
        if (size == 0) {
            firstSeq = seq;
        }
        ring[(head + size) & (ring.length - 1)] = frame;
        size++;
    }

    /**
     * Up to {@code max} frames from {@code fromSeq} on, each with a reference for the caller, or
     * null when {@code fromSeq} is not held.
     */
    List<ReplayFrame> read(long fromSeq, int max) {
        if (size == 0 || fromSeq < firstSeq || fromSeq >= firstSeq + size) {
            return null;
        }
        int n = (int) Math.min(max, firstSeq + size - fromSeq);
        List<ReplayFrame> frames = new ArrayList<>(n);
        int offset = (int) (fromSeq - firstSeq);
        for (int i = 0; i < n; i++) {
            frames.add(new ReplayFrame(fromSeq + i, ring[(head + offset + i) & (ring.length - 1)].retainedDuplicate()));
        }
        return frames;
    }

    /** Releases every frame held. */
    void clear() {
        while (size > 0) {
            evictOldest();
        }
    }

    private void evictOldest() {
        ByteBuf oldest = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        firstSeq++;
        budget.give(oldest.readableBytes());
        oldest.release();
    }

    private void grow() {
        ByteBuf[] bigger = new ByteBuf[Math.max(INITIAL_SLOTS, ring.length * 2)];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }
}
