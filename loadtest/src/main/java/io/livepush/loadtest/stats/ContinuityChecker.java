package io.livepush.loadtest.stats;

import java.util.HashSet;
import java.util.Set;

/**
 * Checks one subscriber's per-channel seq stream: the protocol promises strictly increasing seqs with
 * no holes and no duplicates. Single-threaded: one per subscription, used on its event loop.
 *
 * <ul>
 *   <li><b>hole</b> — a seq skipped over (still missing at the end, or never delivered up to the last
 *       published seq);
 *   <li><b>out-of-order</b> — a seq that arrives after a higher one, filling an earlier hole;
 *   <li><b>duplicate</b> — a seq that was already delivered.
 * </ul>
 */
public final class ContinuityChecker {
    /** What one delivery was. */
    public enum Verdict {
        IN_ORDER,
        AFTER_HOLE,
        OUT_OF_ORDER,
        DUPLICATE
    }

    /** Holes remembered one by one, so a late arrival can be told from a duplicate; beyond, counted only. */
    static final int MAX_TRACKED_HOLES = 100_000;

    private long last;
    private final Set<Long> missing = new HashSet<>();
    private long untrackedHoles;
    private long duplicates;
    private long outOfOrder;

    /** @param lastSeq the channel's last seq when the subscription started (0 for a new channel) */
    public ContinuityChecker(long lastSeq) {
        if (lastSeq < 0) {
            throw new IllegalArgumentException("lastSeq: " + lastSeq + " (expected: >= 0)");
        }
        this.last = lastSeq;
    }

    public Verdict accept(long seq) {
        if (seq == last + 1) {
            last = seq;
            return Verdict.IN_ORDER;
        }
        if (seq > last + 1) {
            for (long s = last + 1; s < seq; s++) {
                if (missing.size() < MAX_TRACKED_HOLES) {
                    missing.add(s);
                } else {
                    untrackedHoles += seq - s;
                    break;
                }
            }
            last = seq;
            return Verdict.AFTER_HOLE;
        }
        if (missing.remove(seq)) {
            outOfOrder++;
            return Verdict.OUT_OF_ORDER;
        }
        duplicates++;
        return Verdict.DUPLICATE;
    }

    /** Counts every seq after the highest one seen, up to {@code finalSeq}, as a hole (the run is over). */
    public void expectUpTo(long finalSeq) {
        if (finalSeq > last) {
            untrackedHoles += finalSeq - last;
            last = finalSeq;
        }
    }

    /** The highest seq seen (or the starting one). */
    public long last() {
        return last;
    }

    public long holes() {
        return missing.size() + untrackedHoles;
    }

    public long duplicates() {
        return duplicates;
    }

    public long outOfOrder() {
        return outOfOrder;
    }
}
