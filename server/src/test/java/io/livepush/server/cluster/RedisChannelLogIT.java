package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.livepush.proto.v1.Message;
import io.livepush.server.channel.LogHead;
import io.livepush.server.testing.RedisServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisChannelLog} against a real redis-server. The log's futures complete on Lettuce's event loops, which
 * BlockHound watches here; the test thread waits on them with {@code get}.
 */
@Timeout(60)
class RedisChannelLogIT {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final RedisLogLimits LIMITS = new RedisLogLimits(10_000, Duration.ofHours(1), Duration.ofMinutes(5));

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    /** Commands go out from its thread, as in the server. */
    private static final CommandIssuer ISSUER = new CommandIssuer();

    private static RedisClient client;
    private static StatefulRedisConnection<String, byte[]> connection;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(redisServer.uri());
        connection = client.connect(CODEC);
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            connection.close();
            client.shutdown();
        }
    }

    @BeforeEach
    void flush() {
        connection.sync().flushall();
    }

    private static RedisChannelLog log(RedisLogLimits limits) {
        return new RedisChannelLog(
                connection.async(),
                ISSUER,
                PubSubMode.CLASSIC,
                limits,
                Clock.systemUTC(),
                RedisChannelLog::randomEpoch);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ByteString text(String s) {
        return ByteString.copyFrom(s, UTF_8);
    }

    @Test
    void concurrentPublishersGetEverySeqOnceAndStreamAndLiveFollowSeqOrder() throws Exception {
        int threads = 4;
        int perThread = 500;
        int total = threads * perThread;
        RedisChannelLog log = log(LIMITS);
        await(log.start());

        ConcurrentLinkedQueue<Message> live = new ConcurrentLinkedQueue<>();
        CountDownLatch allLive = new CountDownLatch(total);
        StatefulRedisPubSubConnection<String, byte[]> subscriber = client.connectPubSub(CODEC);
        try {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, byte[] message) {
                    try {
                        assertThat(message[0])
                                .as("a message, not an applet update")
                                .isEqualTo((byte) 'm');
                        live.add(Message.parser().parseFrom(message, 1, message.length - 1));
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                    allLive.countDown();
                }
            });
            subscriber.sync().subscribe(RedisChannelLog.liveChannel("room.1"));

            Map<Long, String> payloadBySeq = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<Long>>> perPublisher = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int publisher = t;
                    perPublisher.add(pool.submit(() -> {
                        List<CompletableFuture<Published>> sent = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            String payload = "p" + publisher + "-" + i;
                            sent.add(log.publish("room.1", "chat", text(payload), "user" + publisher, "")
                                    .thenApply(p -> {
                                        payloadBySeq.put(p.seq(), payload);
                                        return p;
                                    }));
                        }
                        List<Long> seqs = new ArrayList<>();
                        for (CompletableFuture<Published> p : sent) {
                            seqs.add(await(p).seq());
                        }
                        return seqs;
                    }));
                }
                List<Long> all = new ArrayList<>();
                for (Future<List<Long>> f : perPublisher) {
                    List<Long> seqs = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    // One connection keeps one publisher's commands in order: its seqs rise.
                    assertThat(seqs).isSorted();
                    all.addAll(seqs);
                }
                assertThat(all)
                        .containsExactlyInAnyOrderElementsOf(
                                LongStream.rangeClosed(1, total).boxed().toList());
            } finally {
                pool.shutdownNow();
            }

            List<Message> stored = new ArrayList<>();
            for (long after = 0; stored.size() < total; ) {
                List<Message> page = await(log.range("room.1", after, 700));
                assertThat(page).isNotEmpty();
                stored.addAll(page);
                after = page.get(page.size() - 1).getSeq();
            }
            LogHead head = await(log.head("room.1", false)).orElseThrow();
            assertThat(head.lastSeq()).isEqualTo(total);
            assertThat(stored)
                    .extracting(Message::getSeq)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(stored).allSatisfy(m -> {
                assertThat(m.getChannel()).isEqualTo("room.1");
                assertThat(m.getEpoch()).isEqualTo(head.epoch());
                assertThat(m.getKind()).isEqualTo("chat");
                assertThat(m.getPayload().toStringUtf8()).isEqualTo(payloadBySeq.get(m.getSeq()));
                assertThat(m.getPublisher())
                        .isEqualTo("user" + m.getPayload().toStringUtf8().charAt(1));
                assertThat(m.getTimestampMs()).isPositive();
            });

            assertThat(allLive.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            // Delivery order is stream order, and the live bytes are the stored message.
            assertThat(new ArrayList<>(live)).containsExactlyElementsOf(stored);
        } finally {
            subscriber.close();
        }
    }

    @Test
    void sameIdempotencyKeyTwiceGetsTheFirstSeqAndIsStoredOnce() throws Exception {
        RedisChannelLog log = log(LIMITS);
        Published first = await(log.publish("room.2", "chat", text("a"), "u", "key-1"));
        Published again = await(log.publish("room.2", "chat", text("a, retried"), "u", "key-1"));
        Published other = await(log.publish("room.2", "chat", text("b"), "u", "key-2"));

        assertThat(first).isEqualTo(new Published(first.epoch(), 1, false));
        assertThat(again).isEqualTo(new Published(first.epoch(), 1, true));
        assertThat(other).isEqualTo(new Published(first.epoch(), 2, false));
        assertThat(await(log.range("room.2", 0, 10)))
                .extracting(m -> m.getPayload().toStringUtf8())
                .containsExactly("a", "b");
        assertThat(connection.sync().pttl("push:{room.2}:idem:key-1"))
                .isBetween(1L, LIMITS.idempotencyWindow().toMillis());
    }

    @Test
    void retentionTrimsTheOldestEntriesExactly() throws Exception {
        RedisChannelLog log = log(new RedisLogLimits(5, Duration.ofHours(1), Duration.ofMinutes(5)));
        for (int i = 1; i <= 12; i++) {
            await(log.publish("room.3", "chat", text("m" + i), "", ""));
        }
        assertThat(connection.sync().xlen("push:{room.3}:stream")).isEqualTo(5);
        assertThat(await(log.range("room.3", 0, 100)))
                .extracting(Message::getSeq)
                .containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(await(log.range("room.3", 10, 100)))
                .extracting(Message::getSeq)
                .containsExactly(11L, 12L);
        assertThat(await(log.head("room.3", false)).orElseThrow().lastSeq()).isEqualTo(12);
    }

    @Test
    void channelKeysExpireAfterTheMaxAge() throws Exception {
        RedisChannelLog log = log(new RedisLogLimits(5, Duration.ofSeconds(30), Duration.ofSeconds(10)));
        await(log.publish("room.4", "chat", text("x"), "", ""));
        assertThat(connection.sync().pttl("push:{room.4}:meta")).isBetween(1L, 30_000L);
        assertThat(connection.sync().pttl("push:{room.4}:stream")).isBetween(1L, 30_000L);
    }

    @Test
    void afterFlushAllTheChannelGetsANewEpochAndSeqRestarts() throws Exception {
        RedisChannelLog log = log(LIMITS);
        for (int i = 0; i < 3; i++) {
            await(log.publish("room.5", "chat", text("before"), "", "k" + i));
        }
        LogHead before = await(log.head("room.5", false)).orElseThrow();
        assertThat(before.lastSeq()).isEqualTo(3);

        connection.sync().flushall();
        assertThat(await(log.head("room.5", false))).isEmpty();
        Published after = await(log.publish("room.5", "chat", text("after"), "", "k0"));

        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(after.seq()).isEqualTo(1);
        assertThat(after.duplicate()).isFalse();
        assertThat(await(log.range("room.5", 0, 10)))
                .singleElement()
                .satisfies(m -> assertThat(m.getEpoch()).isEqualTo(after.epoch()))
                .satisfies(m -> assertThat(m.getPayload().toStringUtf8()).isEqualTo("after"));
    }

    @Test
    void aStreamLeftWithoutItsMetaIsDroppedWithTheOldEpoch() throws Exception {
        RedisChannelLog log = log(LIMITS);
        await(log.publish("room.6", "chat", text("old 1"), "", ""));
        await(log.publish("room.6", "chat", text("old 2"), "", ""));
        connection.sync().del("push:{room.6}:meta");

        Published fresh = await(log.publish("room.6", "chat", text("new"), "", ""));

        assertThat(fresh.seq()).isEqualTo(1);
        assertThat(await(log.range("room.6", 0, 10)))
                .extracting(m -> m.getPayload().toStringUtf8())
                .containsExactly("new");
    }

    @Test
    void publishReloadsTheScriptAfterScriptFlush() throws Exception {
        RedisChannelLog log = log(LIMITS);
        await(log.start());
        connection.sync().scriptFlush();

        assertThat(await(log.publish("room.7", "chat", text("x"), "", "")).seq())
                .isEqualTo(1);
        assertThat(connection.sync().scriptExists(connection.sync().digest(LuaScript.source("publish.lua"))))
                .containsExactly(true);
    }

    @Test
    void unknownChannelHasNoMetaAndNoMessages() throws Exception {
        RedisChannelLog log = log(LIMITS);
        assertThat(await(log.head("room.none", false))).isEmpty();
        assertThat(await(log.range("room.none", 0, 10))).isEmpty();
    }
}
