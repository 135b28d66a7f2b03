package io.livepush.server.session;

import io.livepush.proto.v1.GoAway;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated connections of each user, so the backend can reach or disconnect them. Most
 * users have one or two devices: each keeps an immutable array, replaced atomically on change,
 * instead of a concurrent set per user.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Channel[]> byUser = new ConcurrentHashMap<>();

    public void add(String userId, Channel ch) {
        byUser.compute(userId, (u, chs) -> {
            if (chs == null) {
                return new Channel[] {ch};
            }
            Channel[] more = Arrays.copyOf(chs, chs.length + 1);
            more[chs.length] = ch;
            return more;
        });
    }

    public void remove(String userId, Channel ch) {
        byUser.computeIfPresent(userId, (u, chs) -> {
            Channel[] rest = Arrays.stream(chs).filter(c -> c != ch).toArray(Channel[]::new);
            return rest.length == 0 ? null : rest;
        });
    }

    /** The user's authenticated connections now (a snapshot; empty when none). */
    public List<Channel> connections(String userId) {
        Channel[] chs = byUser.get(userId);
        return chs == null ? List.of() : List.of(chs);
    }

    /** Sends GoAway to each of the user's connections and closes them; returns how many. */
    public int disconnect(String userId, String reason) {
        List<Channel> channels = connections(userId);
        ServerFrame goAway = ServerFrame.newBuilder()
                .setGoAway(GoAway.newBuilder().setReason(reason).setReconnectAfterMs(0))
                .build();
        for (Channel ch : channels) {
            ch.writeAndFlush(goAway).addListener(ChannelFutureListener.CLOSE);
        }
        return channels.size();
    }
}
