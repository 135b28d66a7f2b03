package io.livepush.client;

import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exactly-once, in-order delivery for one channel: remembers the last delivered position, drops
 * duplicates, holds messages that arrive after a hole and asks for the gap with {@code History}.
 * Not thread-safe: used on the client's I/O thread only.
 */
final class ChannelTracker {

    /** Where the tracker sends its effects. */
    interface Sink {
        void deliver(String channel, Message message);

        void reset(String channel, String epoch);

        /** Ask for messages after {@code sinceSeq}; answer with {@link #onHistory} or {@link #onHistoryFailed}. */
        void fetch(ChannelTracker tracker, long generation, long sinceSeq, int limit);
    }

    /** Messages asked for per hole-fill request: 256 of the server's largest frames fit the client's frame limit. */
    static final int MAX_FETCH = 256;

    private final String channel;
    private final int maxHeld;
    private final TreeMap<Long, Message> held = new TreeMap<>();
    private String epoch;
    private long lastSeq;
    private boolean fetching;
    private long generation;
    private long maxSeen; // highest seq seen live: held ones may have been dropped from the bounded buffer

    ChannelTracker(String channel, int maxHeld) {
        this.channel = channel;
        this.maxHeld = maxHeld;
    }

    String channel() {
        return channel;
    }

    /** The last delivered position, for {@code since} on a resume; null before the first answer. */
    Position position() {
        return epoch == null
                ? null
                : Position.newBuilder().setEpoch(epoch).setSeq(lastSeq).build();
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The connection is gone: held messages and an open fetch are void (the resume replays them). */
    void disconnected() {
        held.clear();
        fetching = false;
        maxSeen = 0;
        generation++;
    }

    /**
     * A join/switch/subscribe answer. Recovered: replayed messages after our position follow. Not
     * recovered: delivery starts after the server's {@code serverLastSeq}; if we had a position,
     * the app is told to reload.
     */
    void onAnswer(String newEpoch, long serverLastSeq, boolean recovered, Sink sink) {
        disconnected();
        if (recovered && epoch != null) {
            return;
        }
        boolean hadPosition = epoch != null;
        epoch = newEpoch;
        lastSeq = serverLastSeq;
        if (hadPosition) {
            sink.reset(channel, newEpoch);
        }
    }

    void onLive(Message m, Sink sink) {
        if (epoch == null) {
            return; // no answer yet: cannot place it
        }
        if (!epoch.equals(m.getEpoch())) {
            newEpoch(m.getEpoch(), sink);
        }
        long seq = m.getSeq();
        if (seq <= lastSeq) {
            return; // duplicate
        }
        if (fetching || seq > lastSeq + 1) {
            hold(m);
            if (!fetching) {
                startFetch(sink);
            }
            return;
        }
        deliver(m, sink);
        drain(sink);
    }

    void onHistory(long gen, HistoryResult r, Sink sink) {
        if (gen != generation) {
            return;
        }
        fetching = false;
        if (!epoch.equals(r.getEpoch())) {
            newEpoch(r.getEpoch(), sink);
        }
        long before = lastSeq;
        // Messages published after the hole may have been dropped too: the answer's last_seq tells.
        maxSeen = Math.max(maxSeen, r.getLastSeq());
        if (r.getMessagesCount() > 0 && r.getMessages(0).getSeq() > lastSeq + 1) {
            // The start of the gap is gone from the store.
            lastSeq = r.getMessages(0).getSeq() - 1;
            sink.reset(channel, epoch);
        }
        for (Message m : r.getMessagesList()) {
            if (m.getSeq() == lastSeq + 1) {
                deliver(m, sink);
            } else if (m.getSeq() > lastSeq + 1) {
                hold(m);
            }
        }
        drain(sink);
        if (held.isEmpty()) {
            if (maxSeen > lastSeq && lastSeq != before) {
                startFetch(sink); // messages dropped from the full buffer
            }
        } else if (held.firstKey() > lastSeq + 1) {
            if (lastSeq == before) {
                // No progress: the gap cannot be filled. Say so, and go on from what we hold.
                lastSeq = held.firstKey() - 1;
                sink.reset(channel, epoch);
                drain(sink);
            } else {
                startFetch(sink);
            }
        }
    }

    void onHistoryFailed(long gen) {
        if (gen == generation) {
            fetching = false; // the next live message retries; a reconnect resumes anyway
        }
    }

    private void newEpoch(String newEpoch, Sink sink) {
        held.clear();
        epoch = newEpoch;
        lastSeq = 0;
        maxSeen = 0;
        generation++;
        fetching = false;
        sink.reset(channel, newEpoch);
    }

    private void hold(Message m) {
        held.put(m.getSeq(), m);
        maxSeen = Math.max(maxSeen, m.getSeq());
        if (held.size() > maxHeld) {
            held.pollLastEntry(); // fetched again later: it will show up as a hole
        }
    }

    private void startFetch(Sink sink) {
        fetching = true;
        long gap = held.isEmpty() ? maxSeen - lastSeq : held.firstKey() - lastSeq - 1;
        sink.fetch(this, generation, lastSeq, (int) Math.max(1, Math.min(gap, MAX_FETCH)));
    }

    private void drain(Sink sink) {
        while (!held.isEmpty()) {
            Map.Entry<Long, Message> first = held.firstEntry();
            if (first.getKey() <= lastSeq) {
                held.pollFirstEntry();
            } else if (first.getKey() == lastSeq + 1) {
                held.pollFirstEntry();
                deliver(first.getValue(), sink);
            } else {
                break;
            }
        }
    }

    private void deliver(Message m, Sink sink) {
        lastSeq = m.getSeq();
        sink.deliver(channel, m);
    }
}
