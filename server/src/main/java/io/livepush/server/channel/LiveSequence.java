package io.livepush.server.channel;

import io.livepush.proto.v1.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Where this node stands in one channel of a {@link SharedLog}: the last seq it delivered, the live
 * messages it holds back until the ones before them arrive, and the attaches waiting for the channel's
 * feed to start. Confined to the channel's home.
 */
final class LiveSequence {
    /** Live messages held while a gap before them is filled; past this the newest are dropped (and read again). */
    static final int MAX_AHEAD = 10_000;

    private List<Runnable> waiting = new ArrayList<>(1);
    private final TreeMap<Long, Message> ahead = new TreeMap<>();
    String epoch;
    long lastSeq;
    /** A read of the log that fills a gap is under way. */
    boolean filling;
    /** When the tail was last compared with the log's head, or a live message came. */
    long lastCheckedMs;

    /** Until its feed started and its head was read, attaches wait and live messages are held. */
    boolean open() {
        return waiting == null;
    }

    /** Runs {@code attach} once the sequence is open (at once if it is). */
    void whenOpen(Runnable attach) {
        if (waiting == null) {
            attach.run();
        } else {
            waiting.add(attach);
        }
    }

    /** Opens at the log's head; returns the attaches that waited, to run now. */
    List<Runnable> open(LogHead head, long nowMs) {
        epoch = head.epoch();
        lastSeq = head.lastSeq();
        lastCheckedMs = nowMs;
        List<Runnable> ready = waiting;
        waiting = null;
        return ready;
    }

    /** Keeps a message that came before the one it follows. */
    void hold(Message m) {
        if (ahead.size() < MAX_AHEAD || m.getSeq() < ahead.lastKey()) {
            ahead.put(m.getSeq(), m);
            if (ahead.size() > MAX_AHEAD) {
                ahead.pollLastEntry();
            }
        }
    }

    /** The held message that comes next, if any; drops the held ones that are already delivered. */
    Message nextHeld() {
        ahead.headMap(lastSeq + 1).clear();
        return ahead.remove(lastSeq + 1);
    }

    /** The lowest seq held, or 0 when none is. */
    long firstHeld() {
        ahead.headMap(lastSeq + 1).clear();
        return ahead.isEmpty() ? 0 : ahead.firstKey();
    }

    /** The held messages, oldest first, handing them over. */
    List<Message> takeHeld() {
        List<Message> held = new ArrayList<>(ahead.values());
        ahead.clear();
        return held;
    }
}
