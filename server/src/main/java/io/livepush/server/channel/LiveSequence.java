package io.livepush.server.channel;

import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where this node stands in one channel of a {@link SharedLog}: the last seq it delivered, the live
 * messages it holds back until the ones before them arrive, and the attaches waiting for the channel's
 * feed to start. Confined to the channel's home.
 */
final class LiveSequence {
    /**
     * Live messages held while a gap before them is filled, by count and by payload bytes; past either the
     * newest are dropped: the fill reads them again from the log.
     */
    static final int MAX_AHEAD = 10_000;

    static final long MAX_AHEAD_BYTES = 4L << 20;

    /** Applet updates held, each until the message it follows is delivered; past this the oldest go. */
    static final int MAX_HELD_APPLETS = 1_000;

    private record HeldApplet(long afterSeq, AppletState state) {}

    /** Applets whose newest pushed states this node remembers, for attaches whose read of them raced a push. */
    private static final int RECENT_APPLETS = 64;

    /** Delivered messages remembered by seq and hash, to tell a repeat from another message under the same seq. */
    private static final int REMEMBERED = 16;

    private List<Runnable> waiting = new ArrayList<>(1);
    private ArrayDeque<HeldApplet> applets;
    private Map<String, AppletState> recentApplets;
    private Throwable failure;
    private final TreeMap<Long, Message> ahead = new TreeMap<>();
    private long aheadBytes;
    String epoch;
    long lastSeq;
    /** A read of the log that fills a gap is under way. */
    boolean filling;
    /** When the tail was last compared with the log's head, or a live message came. */
    long lastCheckedMs;
    /** The log was asked to start the channel again under a new epoch; its answer has not come yet. */
    boolean resetting;

    private final long[] rememberedSeqs = new long[REMEMBERED];
    private final int[] rememberedHashes = new int[REMEMBERED];

    /** {@code m} was delivered: it is {@link #lastSeq} now. */
    void delivered(Message m) {
        lastSeq = m.getSeq();
        int slot = (int) (lastSeq & (REMEMBERED - 1));
        rememberedSeqs[slot] = lastSeq;
        rememberedHashes[slot] = m.hashCode();
    }

    /** The log started the channel again under {@code newEpoch}: nothing delivered so far counts any more. */
    void restart(String newEpoch) {
        epoch = newEpoch;
        lastSeq = 0;
        Arrays.fill(rememberedSeqs, 0); // no seq is 0
    }

    /**
     * Whether {@code m}, of a seq delivered already, is another message than the one delivered under that seq: the
     * log gave the seq out twice, so it lost the first (false when that seq is no longer remembered).
     */
    boolean contradicts(Message m) {
        int slot = (int) (m.getSeq() & (REMEMBERED - 1));
        return rememberedSeqs[slot] == m.getSeq() && rememberedHashes[slot] != m.hashCode();
    }

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

    /** Following failed: returns the attaches that waited, to run now (they fail with {@link #failure}). */
    List<Runnable> abandon(Throwable cause) {
        failure = cause;
        List<Runnable> ready = waiting;
        waiting = null;
        return ready;
    }

    /** Why this sequence was abandoned; for one that was released instead, that it was. */
    Throwable failure() {
        return failure != null ? failure : new IllegalStateException("the channel was released while attaching");
    }

    /** Keeps a message that came before the one it follows. */
    void hold(Message m) {
        Message replaced = ahead.put(m.getSeq(), m);
        aheadBytes += m.getPayload().size()
                - (replaced == null ? 0 : replaced.getPayload().size());
        while (ahead.size() > MAX_AHEAD || (aheadBytes > MAX_AHEAD_BYTES && ahead.size() > 1)) {
            aheadBytes -= ahead.pollLastEntry().getValue().getPayload().size();
        }
    }

    /** The held message that comes next, if any; drops the held ones that are already delivered. */
    Message nextHeld() {
        dropDelivered();
        Message next = ahead.remove(lastSeq + 1);
        if (next != null) {
            aheadBytes -= next.getPayload().size();
        }
        return next;
    }

    /** The lowest seq held, or 0 when none is. */
    long firstHeld() {
        dropDelivered();
        return ahead.isEmpty() ? 0 : ahead.firstKey();
    }

    private void dropDelivered() {
        Map.Entry<Long, Message> oldest;
        while ((oldest = ahead.firstEntry()) != null && oldest.getKey() <= lastSeq) {
            aheadBytes -= ahead.pollFirstEntry().getValue().getPayload().size();
        }
    }

    /** Whether applet update {@code afterSeq} must wait: messages before it, or updates before it, are not out yet. */
    boolean appletMustWait(long afterSeq) {
        return waiting != null || afterSeq > lastSeq || (applets != null && !applets.isEmpty());
    }

    void holdApplet(long afterSeq, AppletState state) {
        if (applets == null) {
            applets = new ArrayDeque<>(2);
        }
        if (applets.size() == MAX_HELD_APPLETS) {
            applets.poll(); // its member sees a version gap and asks AppletSync
        }
        applets.add(new HeldApplet(afterSeq, state));
    }

    /** The held applet updates whose message is delivered, in order, handing them over. */
    List<AppletState> appletsDue() {
        if (applets == null || applets.isEmpty()) {
            return List.of();
        }
        List<AppletState> due = new ArrayList<>(1);
        while (!applets.isEmpty() && applets.peek().afterSeq() <= lastSeq) {
            due.add(applets.poll().state());
        }
        return due;
    }

    /** Remembers a state as pushed to the members. */
    void pushed(AppletState state) {
        if (recentApplets == null) {
            recentApplets = new LinkedHashMap<>(4, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, AppletState> eldest) {
                    return size() > RECENT_APPLETS;
                }
            };
        }
        recentApplets.put(state.getAppletId(), state);
    }

    /**
     * {@code read} (the room's applets as read from the log) with every state that was pushed here since
     * and is newer: what a member attached now must start from, since the pushes before it missed it.
     */
    List<AppletState> newest(List<AppletState> read) {
        if (recentApplets == null || recentApplets.isEmpty()) {
            return read;
        }
        Map<String, AppletState> byId = new TreeMap<>(); // by applet id, as the logs list them
        read.forEach(a -> byId.put(a.getAppletId(), a));
        recentApplets.forEach((id, pushed) ->
                byId.merge(id, pushed, (a, b) -> Long.compareUnsigned(b.getVersion(), a.getVersion()) > 0 ? b : a));
        return new ArrayList<>(byId.values());
    }

    /** The held messages, oldest first, handing them over. */
    List<Message> takeHeld() {
        List<Message> held = new ArrayList<>(ahead.values());
        ahead.clear();
        aheadBytes = 0;
        return held;
    }

    /** Forgets the held applet updates (the log started the channel again). */
    void dropHeldApplets() {
        if (applets != null) {
            applets.clear();
        }
    }
}
