package io.livepush.server.session;

import io.livepush.proto.v1.GoAway;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.CloseReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated connections of each user, so the backend can reach or disconnect them. Most
 * users have one or two devices: each keeps an immutable array, replaced atomically on change,
 * instead of a concurrent set per user.
 */
public final class SessionRegistry implements UserConnections {
    /** A user's connections and what they share; goes with the user's last connection. */
    private record UserSessions(Channel[] channels, RateLimiter publishes) {}

    /**
     * A user's {@link UserSessions}, or, in the common case of one connection and no per-user rate, the
     * channel itself: a record and a one-element array would cost every such connection 48 B.
     */
    private final ConcurrentHashMap<String, Object> byUser = new ConcurrentHashMap<>();

    private final int maxPerUser;
    /** This node's own per-user rate: none when the cluster counts publishes. */
    private final int publishRatePerUser;

    private final SharedUserLimits shared;

    /**
     * {@code maxPerUser} and {@code publishRatePerUser}: 0 = no limit; {@code shared} counts them across a cluster as
     * well ({@link SharedUserLimits#NONE} on one node).
     */
    public SessionRegistry(int maxPerUser, int publishRatePerUser, SharedUserLimits shared) {
        this.maxPerUser = maxPerUser;
        this.shared = shared;
        this.publishRatePerUser = shared.countsPublishes() ? 0 : publishRatePerUser;
    }

    private static Object entry(Channel[] channels, RateLimiter publishes) {
        return channels.length == 1 && publishes == null ? channels[0] : new UserSessions(channels, publishes);
    }

    private static UserSessions sessions(Object entry) {
        return entry instanceof Channel ch ? new UserSessions(new Channel[] {ch}, null) : (UserSessions) entry;
    }

    /** Adds {@code ch} unless the user has as many connections as allowed already; says whether it did. */
    public boolean add(String userId, Channel ch) {
        boolean[] added = {true};
        byUser.compute(userId, (u, entry) -> {
            if (entry == null) {
                return entry(
                        new Channel[] {ch},
                        publishRatePerUser > 0 ? new RateLimiter(publishRatePerUser, System.nanoTime()) : null);
            }
            UserSessions user = sessions(entry);
            if (maxPerUser > 0 && user.channels.length >= maxPerUser) {
                added[0] = false;
                return entry;
            }
            Channel[] more = Arrays.copyOf(user.channels, user.channels.length + 1);
            more[user.channels.length] = ch;
            return entry(more, user.publishes);
        });
        return added[0];
    }

    public int maxPerUser() {
        return maxPerUser;
    }

    /**
     * Counts a connection that {@link #add} took across the cluster too; false when the cluster has the user's
     * maximum already (the caller closes it, which removes it).
     */
    public CompletionStage<Boolean> addAcrossCluster(String userId, Channel ch) {
        return shared.opened(userId, ch.id());
    }

    public void remove(String userId, Channel ch) {
        shared.closed(userId, ch.id());
        byUser.computeIfPresent(userId, (u, entry) -> {
            UserSessions user = sessions(entry);
            Channel[] rest = Arrays.stream(user.channels).filter(c -> c != ch).toArray(Channel[]::new);
            return rest.length == 0 ? null : entry(rest, user.publishes);
        });
    }

    /**
     * Takes one publish from the user's shared rate: 0 when allowed (or there is no per-user limit), else
     * the nanoseconds until one would be.
     */
    public long tryPublish(String userId, long nowNanos) {
        if (publishRatePerUser <= 0) {
            return 0; // no lookup on the publish path when there is no per-user rate
        }
        // With a per-user rate every entry is a UserSessions with its limiter.
        return byUser.get(userId) instanceof UserSessions user && user.publishes != null
                ? user.publishes.tryAcquire(nowNanos)
                : 0;
    }

    /** Whether publishes are counted across the cluster ({@link #tryPublishAcrossCluster}) instead of here. */
    public boolean publishRateAcrossCluster() {
        return shared.countsPublishes();
    }

    /** {@link #tryPublish} counted by the whole cluster: 0 when allowed, else the ms until one would be. */
    public CompletionStage<Long> tryPublishAcrossCluster(String userId) {
        return shared.tryPublish(userId);
    }

    /** The user's authenticated connections now (a snapshot; empty when none). */
    public List<Channel> connections(String userId) {
        Object entry = byUser.get(userId);
        return entry == null ? List.of() : List.of(sessions(entry).channels);
    }

    /**
     * Sends GoAway to each of the user's connections and closes them; returns how many.
     * {@code reconnectAfterMs}: when the client should try again (a ban's length), 0 = at once.
     */
    public int disconnectHere(String userId, String reason, long reconnectAfterMs) {
        List<Channel> channels = connections(userId);
        ServerFrame goAway = ServerFrame.newBuilder()
                .setGoAway(GoAway.newBuilder().setReason(reason).setReconnectAfterMs((int)
                        Math.min(Integer.MAX_VALUE, reconnectAfterMs)))
                .build();
        for (Channel ch : channels) {
            CloseReason.ADMIN_DISCONNECT.markOn(ch);
            ch.writeAndFlush(goAway).addListener(ChannelFutureListener.CLOSE);
        }
        return channels.size();
    }

    @Override
    public CompletableFuture<Integer> disconnect(String userId, String reason, long reconnectAfterMs) {
        return CompletableFuture.completedFuture(disconnectHere(userId, reason, reconnectAfterMs));
    }
}
