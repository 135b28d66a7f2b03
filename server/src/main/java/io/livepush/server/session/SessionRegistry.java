package io.livepush.server.session;

import io.livepush.proto.v1.GoAway;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The authenticated connections of each user, so the backend can reach or disconnect them. */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Set<Channel>> byUser = new ConcurrentHashMap<>();

    public void add(String userId, Channel ch) {
        byUser.computeIfAbsent(userId, u -> ConcurrentHashMap.newKeySet()).add(ch);
    }

    public void remove(String userId, Channel ch) {
        byUser.computeIfPresent(userId, (u, set) -> {
            set.remove(ch);
            return set.isEmpty() ? null : set;
        });
    }

    /** The user's authenticated connections now (a live view; empty when none). */
    public Set<Channel> connections(String userId) {
        Set<Channel> channels = byUser.get(userId);
        return channels == null ? Set.of() : channels;
    }

    /** Sends GoAway to each of the user's connections and closes them; returns how many. */
    public int disconnect(String userId, String reason) {
        Set<Channel> channels = byUser.get(userId);
        if (channels == null) {
            return 0;
        }
        ServerFrame goAway = ServerFrame.newBuilder()
                .setGoAway(GoAway.newBuilder().setReason(reason).setReconnectAfterMs(0))
                .build();
        int n = 0;
        for (Channel ch : channels) {
            ch.writeAndFlush(goAway).addListener(ChannelFutureListener.CLOSE);
            n++;
        }
        return n;
    }
}
