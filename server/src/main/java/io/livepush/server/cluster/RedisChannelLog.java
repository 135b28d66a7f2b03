package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.Message;
import io.livepush.server.channel.LogHead;
import io.livepush.server.store.ChannelRetention;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Channels' sequences, history and live feed in Redis (keys in {@link ChannelKeys}; on a Redis Cluster each
 * channel lives whole on the shard that owns its hash tag's slot, and its live feed is sharded Pub/Sub there,
 * so channels spread over the shards and a message never crosses the cluster bus): publish with
 * {@code publish.lua}, history with {@code XRANGE}, where a channel stands with {@code head.lua}. Every call is
 * asynchronous (Lettuce's async API): nothing here blocks, so it may be called from an event loop; the futures
 * complete on Lettuce's I/O threads.
 */
public final class RedisChannelLog {
    private static final String MESSAGE_FIELD = "m";
    private static final String APPLET_STATE_PREFIX = "s:";

    private final RedisClusterAsyncCommands<String, byte[]> redis;
    private final CommandIssuer issuer;
    private final LuaScript publishScript;
    private final LuaScript headScript;
    private final LuaScript appletScript;
    private final RedisLogLimits limits;
    private final Clock clock;
    private final Supplier<String> epochs;
    private final byte[] publishCommand;

    /** On {@code connections}, with random epochs (12 hex digits, like the embedded store's). */
    public RedisChannelLog(RedisConnections connections, RedisLogLimits limits, Clock clock) {
        this(
                connections.async(),
                connections.issuer(),
                connections.pubSubMode(),
                limits,
                clock,
                RedisChannelLog::randomEpoch);
    }

    RedisChannelLog(
            RedisClusterAsyncCommands<String, byte[]> redis,
            CommandIssuer issuer,
            PubSubMode pubSubMode,
            RedisLogLimits limits,
            Clock clock,
            Supplier<String> epochs) {
        this.redis = requireNonNull(redis, "redis");
        this.publishCommand = utf8(requireNonNull(pubSubMode, "pubSubMode").publishCommand());
        this.issuer = requireNonNull(issuer, "issuer");
        this.limits = requireNonNull(limits, "limits");
        this.clock = requireNonNull(clock, "clock");
        this.epochs = requireNonNull(epochs, "epochs");
        this.publishScript = new LuaScript(redis, issuer, "publish.lua");
        this.headScript = new LuaScript(redis, issuer, "head.lua");
        this.appletScript = new LuaScript(redis, issuer, "applet.lua");
    }

    /** Loads the scripts into Redis ahead of their first use (optional). */
    public CompletableFuture<Void> start() {
        return CompletableFuture.allOf(publishScript.load(), headScript.load(), appletScript.load());
    }

    /**
     * Assigns the channel's next seq to the message, stores it and sends it to the live channel, atomically.
     *
     * @param idempotencyKey {@code ""} for none
     */
    public CompletableFuture<Published> publish(
            String channel, String kind, ByteString payload, String publisher, String idempotencyKey) {
        return publish(redis, channel, kind, payload, publisher, idempotencyKey);
    }

    /** {@link #publish}, run on {@code on}: the connection to the channel's primary, for a {@code WAIT} to follow. */
    CompletableFuture<Published> publish(
            RedisScriptingAsyncCommands<String, byte[]> on,
            String channel,
            String kind,
            ByteString payload,
            String publisher,
            String idempotencyKey) {
        requireNonNull(kind, "kind");
        requireNonNull(payload, "payload");
        requireNonNull(publisher, "publisher");
        requireNonNull(idempotencyKey, "idempotencyKey");
        ChannelKeys keys = ChannelKeys.of(channel);
        ChannelRetention.Limits retention = limits.retention().of(channel);
        byte[] head = Message.newBuilder().setChannel(channel).build().toByteArray();
        byte[] tail = Message.newBuilder()
                .setKind(kind)
                .setPayload(payload)
                .setPublisher(publisher)
                .setTimestampMs(clock.millis())
                .build()
                .toByteArray();
        String[] redisKeys = idempotencyKey.isEmpty()
                ? new String[] {keys.meta(), keys.stream(), keys.live()}
                : new String[] {keys.meta(), keys.stream(), keys.live(), keys.idempotency(idempotencyKey)};
        return publishScript
                .run(
                        on,
                        redisKeys,
                        utf8(epochs.get()),
                        utf8(Integer.toString(retention.maxMessages())),
                        utf8(Long.toString(retention.maxAge().toMillis())),
                        utf8(Long.toString(limits.idempotencyWindow().toMillis())),
                        publishCommand,
                        head,
                        tail)
                .thenApply(reply -> new Published(text(reply.get(0)), (Long) reply.get(1), (Long) reply.get(2) != 0));
    }

    /** The kept messages with seq > {@code afterSeq}, oldest first, at most {@code limit}. */
    public CompletableFuture<List<Message>> range(String channel, long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq: " + afterSeq + " (expected: >= 0)");
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
        // Entry ids are <seq>-1: "<afterSeq + 1>-0" is the first id past afterSeq.
        Range<String> ids = Range.from(Range.Boundary.including((afterSeq + 1) + "-0"), Range.Boundary.unbounded());
        return issuer.issue(() -> redis.xrange(ChannelKeys.of(channel).stream(), ids, Limit.from(limit)))
                .thenApply(RedisChannelLog::messages);
    }

    /**
     * Where the channel stands. With {@code create}, a channel Redis has nothing of gets an epoch now, and the
     * meta's TTL is renewed (for a node that follows the channel); without, it is empty then.
     */
    public CompletableFuture<Optional<LogHead>> head(String channel, boolean create) {
        return head(channel, utf8(epochs.get()), utf8(limits.maxAgeMs(channel)), utf8(create ? "1" : "0"));
    }

    /**
     * Starts the channel again under a new epoch if it is still in {@code lostEpoch}, whose messages nodes delivered
     * and Redis no longer has (a failover to a replica that had not got them); where it then stands.
     */
    public CompletableFuture<LogHead> reset(String channel, String lostEpoch) {
        return head(channel, utf8(epochs.get()), utf8(limits.maxAgeMs(channel)), utf8("1"), utf8(lostEpoch))
                .thenApply(Optional::orElseThrow);
    }

    private CompletableFuture<Optional<LogHead>> head(String channel, byte[]... args) {
        ChannelKeys keys = ChannelKeys.of(channel);
        return headScript
                .run(new String[] {keys.meta(), keys.stream()}, args)
                .thenApply(reply -> reply.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new LogHead(text(reply.get(0)), (Long) reply.get(1), (Long) reply.get(2))));
    }

    /**
     * Compare-and-set of an applet's running content ({@code expectedVersion} 0 = any), its new state sent on
     * the room's live channel in order with the room's messages.
     */
    public CompletableFuture<AppletWrite> updateApplet(
            String room, String appletId, ByteString content, long expectedVersion) {
        ChannelKeys keys = ChannelKeys.of(room);
        byte[] head = AppletState.newBuilder()
                .setRoom(room)
                .setAppletId(appletId)
                .build()
                .toByteArray();
        long updatedMs = clock.millis();
        byte[] tail = AppletState.newBuilder()
                .setContent(content)
                .setUpdatedMs(updatedMs)
                .build()
                .toByteArray();
        return appletScript
                .run(
                        new String[] {keys.applets(), keys.meta(), keys.live()},
                        utf8(appletId),
                        utf8(Long.toUnsignedString(expectedVersion)),
                        head,
                        tail,
                        publishCommand,
                        utf8(limits.maxAgeMs(room)))
                .thenApply(reply -> {
                    long version = (Long) reply.get(1);
                    boolean applied = (Long) reply.get(0) != 0;
                    return new AppletWrite(
                            applied
                                    ? AppletState.newBuilder()
                                            .setRoom(room)
                                            .setAppletId(appletId)
                                            .setVersion(version)
                                            .setContent(content)
                                            .setUpdatedMs(updatedMs)
                                            .build()
                                    : null,
                            version);
                });
    }

    /** The room's applets, ordered by applet id (as the embedded store lists them). */
    public CompletableFuture<List<AppletState>> applets(String room) {
        return issuer.issue(() -> redis.hgetall(ChannelKeys.of(room).applets())).thenApply(fields -> {
            List<AppletState> states = new ArrayList<>();
            for (Map.Entry<String, byte[]> field : fields.entrySet()) {
                if (field.getKey().startsWith(APPLET_STATE_PREFIX)) {
                    states.add(parse(AppletState.parser(), field.getValue(), field.getKey()));
                }
            }
            states.sort(Comparator.comparing(AppletState::getAppletId));
            return states;
        });
    }

    /** The Pub/Sub channel a node subscribes to for the channel's live messages (push.v1 Message bytes). */
    public static String liveChannel(String channel) {
        return ChannelKeys.of(channel).live();
    }

    private static List<Message> messages(List<StreamMessage<String, byte[]>> entries) {
        List<Message> messages = new ArrayList<>(entries.size());
        for (StreamMessage<String, byte[]> entry : entries) {
            messages.add(parse(Message.parser(), entry.getBody().get(MESSAGE_FIELD), "stream entry " + entry.getId()));
        }
        return messages;
    }

    private static <T> T parse(Parser<T> parser, byte[] bytes, String what) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new CompletionException(what + " does not parse as push.v1", e);
        }
    }

    private static String text(Object redisBulk) {
        return new String((byte[]) redisBulk, UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    static String randomEpoch() {
        // Not a secret, only different from the channel's earlier epochs; ThreadLocalRandom never blocks.
        return String.format(Locale.ROOT, "%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
    }
}
