package io.livepush.client;

import io.livepush.proto.v1.ChannelResumed;
import io.livepush.proto.v1.Foregrounded;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.RoomLeft;
import io.livepush.proto.v1.Subscribed;
import io.livepush.proto.v1.Unsubscribed;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the client follows: the joined room and the subscriptions, each with the {@link ChannelTracker}
 * that remembers its delivered position. A room that is also a subscription shares one tracker, so a
 * channel is dropped only when neither follows it. Touched on the client's loop only.
 */
final class Channels {
    private final Map<String, ChannelTracker> trackers = new HashMap<>();
    private final Set<String> subscriptions = new LinkedHashSet<>();
    private final int maxHeld;
    private final ChannelTracker.Sink sink;
    private String room;

    Channels(int maxHeld, ChannelTracker.Sink sink) {
        this.maxHeld = maxHeld;
        this.sink = sink;
    }

    /** The room joined last, or null. */
    String room() {
        return room;
    }

    /** The subscribed channels in the order subscribed (the live set: restore iterates it). */
    Set<String> subscriptions() {
        return subscriptions;
    }

    /** The last delivered position of {@code channel}, for {@code since}; null if not followed yet. */
    Position since(String channel) {
        ChannelTracker t = trackers.get(channel);
        return t == null ? null : t.position();
    }

    /** The last delivered position of every followed channel that has one, for a foreground. */
    Map<String, Position> positions() {
        Map<String, Position> out = new HashMap<>();
        trackers.forEach((channel, t) -> {
            Position p = t.position();
            if (p != null) {
                out.put(channel, p);
            }
        });
        return out;
    }

    void onMessage(Message m) {
        ChannelTracker t = trackers.get(m.getChannel());
        if (t != null) {
            t.onLive(m, sink);
        }
    }

    void onJoined(RoomJoined j) {
        if (!j.getPrevious().isEmpty() && !subscriptions.contains(j.getPrevious())) {
            trackers.remove(j.getPrevious());
        }
        if (room != null && !room.equals(j.getRoom()) && !subscriptions.contains(room)) {
            trackers.remove(room);
        }
        room = j.getRoom();
        tracker(room).onAnswer(j.getEpoch(), j.getLastSeq(), j.getRecovered(), sink);
    }

    void onLeft(RoomLeft l) {
        if (l.getRoom().equals(room)) {
            room = null;
            trackers.remove(l.getRoom());
        }
    }

    void onSubscribed(Subscribed s) {
        subscriptions.add(s.getChannel());
        tracker(s.getChannel()).onAnswer(s.getEpoch(), s.getLastSeq(), s.getRecovered(), sink);
    }

    /** Background mode ended: per channel as after a resume, the replayed messages follow. */
    void onForegrounded(Foregrounded f) {
        for (ChannelResumed r : f.getChannelsList()) {
            ChannelTracker t = trackers.get(r.getChannel());
            if (t != null) {
                t.onAnswer(r.getEpoch(), r.getLastSeq(), r.getRecovered(), sink);
            }
        }
    }

    void onUnsubscribed(Unsubscribed u) {
        subscriptions.remove(u.getChannel());
        if (!u.getChannel().equals(room)) {
            trackers.remove(u.getChannel());
        }
    }

    /** Stops following {@code channel} as room and as subscription, e.g. when a restore is refused. */
    void forget(String channel) {
        if (channel.equals(room)) {
            room = null;
        }
        subscriptions.remove(channel);
        trackers.remove(channel);
    }

    /** The connection is gone: held messages and open hole fills are void (the resume replays them). */
    void disconnected() {
        trackers.values().forEach(ChannelTracker::disconnected);
    }

    private ChannelTracker tracker(String channel) {
        return trackers.computeIfAbsent(channel, c -> new ChannelTracker(c, maxHeld));
    }
}
