package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.channel.LogHead;
import io.livepush.server.channel.SharedLog;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SharedLog} of a cluster on Redis: {@link RedisChannelLog} for publishes, heads and reads, and the
 * node's {@link RedisPubSub} for the live feed of the channels it follows (sharded on a Redis Cluster). Each
 * time a channel is subscribed again (a reconnect; on a Cluster, its slot moved to another primary) its feed
 * reports {@link Feed#followed}: what was sent meanwhile is read back.
 */
public final class RedisSharedLog implements SharedLog {
    private static final Logger log = LoggerFactory.getLogger(RedisSharedLog.class);
    /** 'a' and the seq an applet update follows, in 20 digits (applet.lua). */
    private static final int APPLET_HEADER = 21;
    /** A member event: 'e', the origin node's id (DataOutput's writeUTF), then the ServerFrame. */
    private static final byte MEMBER_EVENT = 'e';

    private final RedisChannelLog channels;
    private final RedisConnections redis;
    private final RedisPubSub pubSub;
    private final int ackReplicas;
    private final Duration ackTimeout;
    private final String nodeId;

    /**
     * @param ackReplicas a publish is acknowledged once this many replicas hold it (0: once the primary does)
     * @param ackTimeout how long a publish waits for them before it fails
     * @param nodeId this node's, so that it skips its own member events
     */
    public RedisSharedLog(
            RedisChannelLog channels, RedisConnections redis, int ackReplicas, Duration ackTimeout, String nodeId) {
        this.nodeId = requireNonNull(nodeId, "nodeId");
        this.channels = requireNonNull(channels, "channels");
        this.redis = requireNonNull(redis, "redis");
        this.pubSub = redis.pubSub();
        this.ackReplicas = ackReplicas;
        this.ackTimeout = requireNonNull(ackTimeout, "ackTimeout");
    }

    @Override
    public void feedTo(Feed feed) {
        requireNonNull(feed, "feed");
        pubSub.addListener(new RedisPubSub.Listener() {
            @Override
            public void message(String live, byte[] bytes) {
                if (!ChannelKeys.isLive(live)) {
                    return; // the control channel shares the connection
                }
                try {
                    if (bytes.length > 0 && bytes[0] == 'm') {
                        Message m = Message.parser().parseFrom(bytes, 1, bytes.length - 1);
                        feed.message(m.getChannel(), m);
                    } else if (bytes.length > APPLET_HEADER && bytes[0] == 'a') {
                        long afterSeq = Long.parseLong(new String(bytes, 1, APPLET_HEADER - 1, US_ASCII));
                        AppletState state =
                                AppletState.parser().parseFrom(bytes, APPLET_HEADER, bytes.length - APPLET_HEADER);
                        feed.applet(state.getRoom(), afterSeq, state);
                    } else if (bytes.length > 0 && bytes[0] == MEMBER_EVENT) {
                        memberEvent(feed, live, bytes);
                    } else {
                        log.warn("{} carried {} bytes of an unknown kind", live, bytes.length);
                    }
                } catch (IOException | NumberFormatException e) {
                    log.warn("{} carried something that does not parse: {}", live, e.getMessage());
                }
            }

            @Override
            public void subscribed(String live) {
                if (ChannelKeys.isLive(live)) {
                    feed.followed(ChannelKeys.channelOfLive(live));
                }
            }
        });
    }

    @Override
    public CompletionStage<PublishAck> publish(
            String channel, String kind, ByteString payload, String publisher, String idempotencyKey) {
        CompletionStage<Published> published = ackReplicas == 0
                ? channels.publish(channel, kind, payload, publisher, idempotencyKey)
                : replicated(channel, kind, payload, publisher, idempotencyKey);
        return published.thenApply(p -> PublishAck.newBuilder()
                .setChannel(channel)
                .setEpoch(p.epoch())
                .setSeq(p.seq())
                .build());
    }

    /**
     * The publish and a {@code WAIT} after it, both on the connection to the channel's primary: {@code WAIT}
     * counts the replicas that hold every write of its own connection. On a Cluster the publish cannot take the
     * routing connection then (the {@code WAIT} would land on another node); if the slot moved meanwhile, the
     * script fails with {@code MOVED} and so does the publish, which the publisher retries.
     */
    private CompletionStage<Published> replicated(
            String channel, String kind, ByteString payload, String publisher, String idempotencyKey) {
        CommandIssuer issuer = redis.issuer();
        return issuer.issue(() -> redis.primaryFor(ChannelKeys.of(channel).meta()))
                .thenCompose(primary -> channels.publish(primary, channel, kind, payload, publisher, idempotencyKey)
                        .thenCompose(p -> issuer.issue(
                                        () -> primary.waitForReplication(ackReplicas, ackTimeout.toMillis()))
                                .thenApply(acked -> {
                                    if (acked < ackReplicas) {
                                        throw new ReplicationException(ackReplicas, acked);
                                    }
                                    return p;
                                })));
    }

    @Override
    public CompletionStage<LogHead> head(String channel) {
        return channels.head(channel, true).thenApply(Optional::orElseThrow);
    }

    @Override
    public CompletionStage<LogHead> reset(String channel, String lostEpoch) {
        return channels.reset(channel, lostEpoch);
    }

    @Override
    public CompletionStage<Optional<LogHead>> find(String channel) {
        return channels.head(channel, false);
    }

    @Override
    public CompletionStage<List<Message>> read(String channel, long afterSeq, int limit) {
        return channels.range(channel, afterSeq, limit);
    }

    @Override
    public CompletionStage<List<AppletState>> applets(String room) {
        return channels.applets(room);
    }

    private void memberEvent(Feed feed, String live, byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1));
        if (!in.readUTF().equals(nodeId)) {
            feed.memberEvent(ChannelKeys.channelOfLive(live), ServerFrame.parseFrom(in));
        }
    }

    @Override
    public void announce(String room, ServerFrame event) {
        byte[] bytes = PubSubEvent.bytes(out -> {
            out.writeByte(MEMBER_EVENT);
            out.writeUTF(nodeId);
            event.writeTo(out);
        });
        pubSub.publish(ChannelKeys.of(room).live(), bytes).whenComplete((receivers, error) -> {
            if (error != null) {
                log.debug("member event of {} not announced: {}", room, error.toString()); // at most once
            }
        });
    }

    @Override
    public CompletionStage<Void> follow(String channel) {
        return pubSub.subscribe(ChannelKeys.of(channel).live());
    }

    @Override
    public void unfollow(String channel) {
        pubSub.unsubscribe(ChannelKeys.of(channel).live());
    }
}
