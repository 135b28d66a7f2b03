package io.livepush.server.admin;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.PublishAck;
import io.livepush.server.channel.ChannelInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Answers from fields the test sets and remembers the last arguments; futures complete on another thread. */
final class FakeAdminBackend implements AdminBackend {
    record Published(String channel, String kind, ByteString payload, String idempotencyKey) {}

    final Map<String, ChannelInfo> channels = new ConcurrentHashMap<>();
    volatile boolean ready;
    volatile HistoryResult history = HistoryResult.getDefaultInstance();
    volatile RuntimeException publishFailure;
    volatile CompletableFuture<Optional<ChannelInfo>> pendingInfo;
    volatile int closedPerDisconnect;
    volatile List<AppletState> applets = List.of();
    volatile RuntimeException appletFailure;

    volatile Published lastPublished;
    volatile String lastHistory;
    volatile String lastDisconnect;
    volatile AppletState lastApplet;

    @Override
    public CompletableFuture<PublishAck> publish(
            String channel, String kind, ByteString payload, String idempotencyKey) {
        lastPublished = new Published(channel, kind, payload, idempotencyKey);
        return CompletableFuture.supplyAsync(() -> {
            if (publishFailure != null) {
                throw publishFailure;
            }
            return PublishAck.newBuilder()
                    .setChannel(channel)
                    .setEpoch("e1")
                    .setSeq(42)
                    .build();
        });
    }

    @Override
    public CompletableFuture<Optional<ChannelInfo>> channelInfo(String channel) {
        CompletableFuture<Optional<ChannelInfo>> pending = pendingInfo;
        return pending != null
                ? pending
                : CompletableFuture.supplyAsync(() -> Optional.ofNullable(channels.get(channel)));
    }

    @Override
    public CompletableFuture<HistoryResult> history(String channel, long sinceSeq, int limit) {
        lastHistory = channel + " since=" + sinceSeq + " limit=" + limit;
        return CompletableFuture.supplyAsync(() -> history);
    }

    @Override
    public CompletableFuture<AppletState> updateApplet(
            String room, String appletId, ByteString content, long expectedVersion) {
        return CompletableFuture.supplyAsync(() -> {
            if (appletFailure != null) {
                throw appletFailure;
            }
            // version echoes expected_version + 1, so a test can see what the route passed on
            lastApplet = AppletState.newBuilder()
                    .setRoom(room)
                    .setAppletId(appletId)
                    .setContent(content)
                    .setVersion(expectedVersion + 1)
                    .build();
            return lastApplet;
        });
    }

    @Override
    public CompletableFuture<List<AppletState>> applets(String room) {
        return CompletableFuture.supplyAsync(() -> applets);
    }

    @Override
    public CompletableFuture<Integer> disconnectUser(String userId, String reason, Duration ban) {
        lastDisconnect = userId + " reason=" + reason + " ban=" + ban.toSeconds();
        return CompletableFuture.completedFuture(closedPerDisconnect);
    }

    @Override
    public CompletableFuture<Integer> revokeTokens(String userId, long beforeMs) {
        lastDisconnect = userId + " revoked before " + beforeMs;
        return CompletableFuture.completedFuture(closedPerDisconnect);
    }

    @Override
    public CompletableFuture<Void> unban(String userId) {
        lastDisconnect = userId + " unbanned";
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public UserState user(String userId) {
        return new UserState(closedPerDisconnect, 0, 0);
    }

    @Override
    public boolean ready() {
        return ready;
    }
}
