package io.livepush.server.admin;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.PublishAck;
import io.livepush.server.applet.Applets;
import io.livepush.server.applet.VersionConflictException;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.ChannelInfo;
import io.livepush.server.channel.ChannelOverloadedException;
import io.livepush.server.channel.LogUnavailableException;
import io.livepush.server.channel.Reply;
import io.livepush.server.session.SessionRegistry;
import io.livepush.server.session.UserAccess;
import io.livepush.server.session.UserConnections;
import io.livepush.server.store.StoreFullException;
import io.livepush.server.store.UserRestriction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * The admin API's view of the server: the same registry and sessions the TCP clients use. Channel
 * names arrive already validated by the routes.
 */
public final class RegistryAdminBackend implements AdminBackend {
    private final ChannelEngine registry;
    private final Applets applets;
    private final SessionRegistry sessions;
    private final UserConnections connections;
    private final UserAccess access;
    private final BooleanSupplier ready;

    public RegistryAdminBackend(
            ChannelEngine registry,
            Applets applets,
            SessionRegistry sessions,
            UserConnections connections,
            UserAccess access,
            BooleanSupplier ready) {
        this.connections = connections;
        this.access = access;
        this.registry = registry;
        this.applets = applets;
        this.sessions = sessions;
        this.ready = ready;
    }

    @Override
    public CompletableFuture<PublishAck> publish(
            String channel, String kind, ByteString payload, String idempotencyKey) {
        return translate(Reply.future(r -> registry.publish(channel, kind, payload, "", idempotencyKey, r)));
    }

    @Override
    public CompletableFuture<Optional<ChannelInfo>> channelInfo(String channel) {
        return translate(Reply.future(r -> registry.info(channel, r)));
    }

    @Override
    public CompletableFuture<HistoryResult> history(String channel, long sinceSeq, int limit) {
        return translate(Reply.future(r -> registry.history(channel, sinceSeq, List.of(), limit, r)));
    }

    @Override
    public CompletableFuture<AppletState> updateApplet(
            String room, String appletId, ByteString content, long expectedVersion) {
        return translate(Reply.future(r -> applets.update(room, appletId, content, expectedVersion, r)));
    }

    @Override
    public CompletableFuture<List<AppletState>> applets(String room) {
        return translate(Reply.future(r -> applets.newerThan(room, "", 0, r)));
    }

    @Override
    public CompletableFuture<Integer> disconnectUser(String userId, String reason, Duration ban) {
        // The ban first, so that the reconnect the disconnect provokes is refused.
        CompletableFuture<UserRestriction> banned =
                ban.isZero() ? CompletableFuture.completedFuture(null) : access.ban(userId, ban);
        return banned.thenCompose(ignored -> connections.disconnect(userId, reason, ban.toMillis()));
    }

    @Override
    public CompletableFuture<Integer> revokeTokens(String userId, long beforeMs) {
        return access.revoke(userId, beforeMs)
                .thenCompose(
                        ignored -> connections.disconnect(userId, "tokens revoked: connect again with a new token", 0));
    }

    @Override
    public CompletableFuture<Void> unban(String userId) {
        return access.unban(userId).thenApply(ignored -> null);
    }

    @Override
    public UserState user(String userId) {
        UserRestriction r = access.of(userId);
        return new UserState(sessions.connections(userId).size(), r.bannedUntilMs(), r.revokedBeforeS() * 1000);
    }

    @Override
    public boolean ready() {
        return ready.getAsBoolean();
    }

    private static <T> CompletableFuture<T> translate(CompletableFuture<T> future) {
        return future.exceptionally(error -> {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            // Backpressure the business backend can act on: slow down on this channel, retry after a second.
            if (cause instanceof ChannelOverloadedException) {
                throw new AdminException(429, "RATE_LIMITED", cause.getMessage(), 1);
            }
            if (cause instanceof RejectedExecutionException) {
                throw new AdminException(503, "BUSY", "server busy, retry shortly", 1);
            }
            if (cause instanceof VersionConflictException) {
                throw new AdminException(409, "VERSION_CONFLICT", cause.getMessage());
            }
            if (cause instanceof StoreFullException) {
                throw new AdminException(503, "STORE_FULL", cause.getMessage());
            }
            if (cause instanceof LogUnavailableException) {
                throw new AdminException(503, "UNAVAILABLE", "the cluster's store is unavailable, retry shortly", 1);
            }
            throw error instanceof CompletionException ce ? ce : new CompletionException(cause);
        });
    }
}
