package io.livepush.server.admin;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.PublishAck;
import io.livepush.server.channel.ChannelInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the admin HTTP API needs from the push server. Futures complete off the caller's thread. */
public interface AdminBackend {

    /** Publishes as the server (empty publisher). Fails with {@link AdminException} on bad input. */
    CompletableFuture<PublishAck> publish(String channel, String kind, ByteString payload, String idempotencyKey);

    /** Empty when the channel has neither history nor members. */
    CompletableFuture<Optional<ChannelInfo>> channelInfo(String channel);

    /** Messages after {@code sinceSeq}, at most {@code limit} (capped by the server). */
    CompletableFuture<HistoryResult> history(String channel, long sinceSeq, int limit);

    /**
     * Sets an applet's running content ({@code expectedVersion} 0 = any) and pushes it to the room;
     * fails with {@link AdminException} 409 {@code VERSION_CONFLICT} on a stale version.
     */
    CompletableFuture<AppletState> updateApplet(String room, String appletId, ByteString content, long expectedVersion);

    /** Every current applet of the room, ordered by applet id. */
    CompletableFuture<List<AppletState>> applets(String room);

    /**
     * Bans the user for {@code ban} ({@link Duration#ZERO}: no ban) on every transport, then sends GoAway
     * to each of their connections (saying when to come back) and closes them; completes with how many.
     */
    CompletableFuture<Integer> disconnectUser(String userId, String reason, Duration ban);

    /** Refuses the user's tokens issued before {@code beforeMs} from now on, and closes their connections; completes with how many. */
    CompletableFuture<Integer> revokeTokens(String userId, long beforeMs);

    /** Lifts the user's ban, if any. */
    CompletableFuture<Void> unban(String userId);

    UserState user(String userId);

    /** True once the server takes connections, false again while it shuts down. */
    boolean ready();
}
