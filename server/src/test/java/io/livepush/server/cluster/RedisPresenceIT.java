package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.livepush.server.channel.ClusterPresence.Counts;
import io.livepush.server.testing.MutableClock;
import io.livepush.server.testing.RedisServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisPresence}: several nodes on one real redis-server, each with its own connection and its own scheduler.
 * BlockHound watches Lettuce's threads, where the replies are handled.
 *
 * <p>Two brief locks inside the libraries would read as blocking calls: the schedulers are plain threads, not
 * Netty's, because when two threads write to one Lettuce connection at once one parks a moment on Lettuce's
 * {@code SharedLock} (on a watched thread BlockHound turns that park into an error, which Lettuce 7.7 does not
 * survive: its writer count goes negative and every later command spins); and Lettuce gets one I/O thread, because
 * two that encode large commands at once may park on a lock of Netty's {@code AdaptivePoolingAllocator}, which
 * Netty's BlockHound integration does not allow. The timeouts run in a separate thread so that a spin fails the test
 * instead of hanging the build.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisPresenceIT {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration SHORT_TTL = Duration.ofSeconds(2);
    private static final Duration SHORT_HEARTBEAT = Duration.ofMillis(500);

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static ClientResources resources;
    private static RedisClient client;
    private static StatefulRedisConnection<String, byte[]> admin;

    /** A node: its presence, its connection, and the executor it ticks on. */
    private record Node(
            RedisPresence presence,
            StatefulRedisConnection<String, byte[]> connection,
            ScheduledExecutorService ticks) {}

    private final List<Node> nodes = new ArrayList<>();
    private final List<Node> dead = new ArrayList<>();

    @BeforeAll
    static void connect() {
        resources = DefaultClientResources.builder()
                .ioThreadPoolSize(1)
                .computationThreadPoolSize(1)
                .build();
        client = RedisClient.create(resources, redisServer.uri());
        admin = client.connect(CODEC);
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            admin.close();
            client.shutdown();
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void flush() {
        admin.sync().flushall();
    }

    @AfterEach
    void stopNodes() throws InterruptedException {
        for (Node node : nodes) {
            if (!dead.contains(node)) {
                node.presence().close();
                stop(node);
            }
        }
    }

    private Node start(String id, Clock clock, Duration ttl, Duration heartbeat, int maxDirty) {
        StatefulRedisConnection<String, byte[]> connection = client.connect(CODEC);
        RedisPresence presence = new RedisPresence(connection.async(), id, clock, ttl, heartbeat, maxDirty);
        Node node = new Node(presence, connection, Executors.newSingleThreadScheduledExecutor());
        nodes.add(node);
        presence.start(node.ticks());
        return node;
    }

    private RedisPresence start(String id) {
        return start(id, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(10), 100_000)
                .presence();
    }

    private static void stop(Node node) throws InterruptedException {
        node.ticks().shutdownNow();
        assertThat(node.ticks().awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isTrue();
        node.connection().close();
    }

    private static Counts others(RedisPresence node, String channel) throws Exception {
        return node.others(channel).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void awaitOthers(RedisPresence node, String channel, Counts expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (Counts seen = others(node, channel); !seen.equals(expected); seen = others(node, channel)) {
            assertThat(System.nanoTime())
                    .as("others(%s) = %s, expected %s within %s", channel, seen, expected, WAIT)
                    .isLessThan(deadline);
            Thread.sleep(10); // polling Redis with a deadline: nothing announces another node's flush
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, what, WAIT);
    }

    private static void await(BooleanSupplier condition, String what, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s", what, wait).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static RedisCommands<String, byte[]> redis() {
        return admin.sync();
    }

    /** With HMGET, so that the HGETs counted are the nodes'. */
    private static String field(String nodeId, String channel) {
        KeyValue<String, byte[]> value =
                redis().hmget(RedisPresence.hashOf(nodeId), channel).get(0);
        return value.hasValue() ? new String(value.getValue(), UTF_8) : null;
    }

    private static Map<String, String> fields(String nodeId) {
        Map<String, String> fields = new HashMap<>();
        redis().hgetall(RedisPresence.hashOf(nodeId)).forEach((k, v) -> fields.put(k, new String(v, UTF_8)));
        return fields;
    }

    private static long hgetCalls() {
        Matcher calls = Pattern.compile("cmdstat_hget:calls=(\\d+)").matcher(redis().info("commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    @Test
    void othersSumsEveryOtherNodeAndLeavesOutItsOwnCounts() throws Exception {
        RedisPresence a = start("a");
        RedisPresence b = start("b");
        RedisPresence c = start("c");

        a.changed("room.1", 3, 1);
        b.changed("room.1", 4, 2);
        c.changed("room.1", 5, 0);
        b.changed("room.2", 1, 1);

        awaitOthers(a, "room.1", new Counts(9, 2));
        awaitOthers(b, "room.1", new Counts(8, 1));
        awaitOthers(c, "room.1", new Counts(7, 3));
        awaitOthers(a, "room.2", new Counts(1, 1));
        assertThat(others(b, "room.2")).isEqualTo(Counts.ZERO);
        assertThat(others(a, "room.none")).isEqualTo(Counts.ZERO);

        // The layout other nodes (and operators) read.
        assertThat(field("a", "room.1")).isEqualTo("3:1");
        assertThat(field("c", "room.1")).isEqualTo("5:0");
        assertThat(redis().pttl(RedisPresence.hashOf("b"))).isBetween(1L, 30_000L);
        assertThat(redis().zscore(RedisPresence.NODES, "a".getBytes(UTF_8))).isNotNull();
        await(() -> a.liveNodes() == 3, "a sees 3 live nodes");
    }

    @Test
    void zeroCountsLeaveNoFieldAndTheLastValueWins() throws Exception {
        RedisPresence a = start("a");
        RedisPresence b = start("b");

        a.changed("room.1", 3, 2);
        awaitOthers(b, "room.1", new Counts(3, 2));

        a.changed("room.1", 0, 0);
        awaitOthers(b, "room.1", Counts.ZERO);
        assertThat(redis().hexists(RedisPresence.hashOf("a"), "room.1")).isFalse();
        assertThat(redis().exists(RedisPresence.hashOf("a"))).isZero();

        for (int i = 1; i <= 1_000; i++) {
            a.changed("room.2", i, i % 2);
            a.changed("room.3", i, 1);
        }
        a.changed("room.3", 0, 0);
        a.changed("room.2", 7, 5);
        awaitOthers(b, "room.2", new Counts(7, 5));
        awaitOthers(b, "room.3", Counts.ZERO);
        assertThat(redis().hkeys(RedisPresence.hashOf("a"))).containsExactly("room.2");
    }

    @Test
    void othersAnswersFromItsCacheWithinASecondAndSharesOneRead() throws Exception {
        RedisPresence b = start("b");
        RedisPresence c = start("c");
        b.changed("room.1", 2, 1);
        c.changed("room.1", 3, 1);
        await(() -> "2:1".equals(field("b", "room.1")) && "3:1".equals(field("c", "room.1")), "b and c flushed");
        // a's time stands still from here, so a reads the live nodes once: b and c are among them already.
        MutableClock clock = new MutableClock(Instant.now());
        RedisPresence a = start("a", clock, Duration.ofSeconds(30), Duration.ofSeconds(10), 100_000)
                .presence();

        redis().configResetstat();
        List<CompletableFuture<Counts>> concurrent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            concurrent.add(a.others("room.1").toCompletableFuture());
        }
        for (CompletableFuture<Counts> read : concurrent) {
            assertThat(read.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(new Counts(5, 2));
        }
        assertThat(hgetCalls()).as("one HGET per other node for 50 callers").isEqualTo(2);

        b.changed("room.1", 10, 1);
        await(() -> "10:1".equals(field("b", "room.1")), "b flushed");
        clock.advance(Duration.ofMillis(999));
        assertThat(others(a, "room.1")).as("still within the second").isEqualTo(new Counts(5, 2));
        assertThat(hgetCalls()).isEqualTo(2);

        clock.advance(Duration.ofMillis(1));
        assertThat(others(a, "room.1")).isEqualTo(new Counts(13, 2));
    }

    @Test
    void othersCachesAtMostTenThousandChannels() throws Exception {
        RedisPresence b = start("b");
        b.changed("room.19999", 1, 1);
        await(() -> "1:1".equals(field("b", "room.19999")), "b flushed");
        RedisPresence a = start(
                        "a", new MutableClock(Instant.now()), Duration.ofSeconds(30), Duration.ofSeconds(10), 100_000)
                .presence();

        List<CompletableFuture<Counts>> reads = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            reads.add(a.others("room." + i).toCompletableFuture());
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture<?>[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(a.cachedChannels()).isEqualTo(10_000);
        assertThat(reads.get(19_999).get()).isEqualTo(new Counts(1, 1));
    }

    @Test
    void aNodeWhoseHeartbeatStopsIsNotCountedAfterItsTtl() throws Exception {
        RedisPresence a = start("a", Clock.systemUTC(), SHORT_TTL, SHORT_HEARTBEAT, 100_000)
                .presence();
        RedisPresence b = start("b", Clock.systemUTC(), SHORT_TTL, SHORT_HEARTBEAT, 100_000)
                .presence();
        Node c = start("c", Clock.systemUTC(), SHORT_TTL, SHORT_HEARTBEAT, 100_000);
        b.changed("room.1", 1, 1);
        c.presence().changed("room.1", 5, 5);
        awaitOthers(a, "room.1", new Counts(6, 6));
        await(() -> a.liveNodes() == 3, "a sees 3 live nodes");

        // c dies: no close(), no more heartbeats, its connection gone.
        dead.add(c);
        stop(c);
        long died = System.nanoTime();

        awaitOthers(a, "room.1", new Counts(1, 1));
        assertThat(Duration.ofNanos(System.nanoTime() - died))
                .as("counted until its last heartbeat is a TTL old")
                .isGreaterThanOrEqualTo(SHORT_TTL.minusSeconds(1));
        await(() -> redis().exists(RedisPresence.hashOf("c")) == 0, "c's hash expired");
        await(() -> a.liveNodes() == 2, "a sees 2 live nodes");
        await(() -> redis().zscore(RedisPresence.NODES, "c".getBytes(UTF_8)) == null, "c removed from push:nodes");

        // Well past b's TTL: its heartbeats kept it.
        assertThat(field("b", "room.1")).isEqualTo("1:1");
        assertThat(others(a, "room.1")).isEqualTo(new Counts(1, 1));
    }

    @Test
    void aRestartedNodeReplacesWhatItsEarlierProcessLeft() throws Exception {
        // A process "a" that died without close(), less than a TTL ago.
        redis().hset(RedisPresence.hashOf("a"), "room.gone", "4:4".getBytes(UTF_8));
        redis().zadd(RedisPresence.NODES, System.currentTimeMillis(), "a".getBytes(UTF_8));
        RedisPresence b = start("b");
        awaitOthers(b, "room.gone", new Counts(4, 4));

        RedisPresence a = start("a");
        a.changed("room.1", 1, 0);

        awaitOthers(b, "room.1", new Counts(1, 0));
        awaitOthers(b, "room.gone", Counts.ZERO);
        assertThat(redis().hkeys(RedisPresence.hashOf("a"))).containsExactly("room.1");
    }

    @Test
    void closeDeletesTheNodesPresenceAtOnce() throws Exception {
        RedisPresence a = start("a");
        RedisPresence b = start("b");
        a.changed("room.1", 2, 2);
        awaitOthers(b, "room.1", new Counts(2, 2));

        a.close();

        assertThat(redis().exists(RedisPresence.hashOf("a"))).isZero();
        assertThat(redis().zscore(RedisPresence.NODES, "a".getBytes(UTF_8))).isNull();
        awaitOthers(b, "room.1", Counts.ZERO);
    }

    @Test
    void dirtySetStaysBoundedUnder200000ChannelsAndKeepsEveryLastValue() throws Exception {
        RedisPresence a = start("a");
        RedisPresence b = start("b");
        int channels = 200_000;

        int mostDirty = 0;
        for (int i = 0; i < channels; i++) {
            a.changed("ch." + i, i % 7 + 1, i % 3);
            mostDirty = Math.max(mostDirty, a.dirtyChannels());
        }
        // Again: every even channel empties, every odd one gets new counts.
        for (int i = 0; i < channels; i++) {
            a.changed("ch." + i, i % 2 == 0 ? 0 : i % 5 + 1, i % 2 == 0 ? 0 : 1);
            mostDirty = Math.max(mostDirty, a.dirtyChannels());
        }
        assertThat(mostDirty).isLessThanOrEqualTo(100_000);

        Map<String, String> expected = new HashMap<>();
        for (int i = 1; i < channels; i += 2) {
            expected.put("ch." + i, (i % 5 + 1) + ":1");
        }
        // HLEN first: HGETALL of 100,000 fields every 10 ms would slow down the writes it waits for.
        await(
                () -> redis().hlen(RedisPresence.hashOf("a")) == expected.size()
                        && fields("a").equals(expected),
                "a's hash holds the last value of every channel",
                Duration.ofSeconds(60));
        await(() -> a.dirtyChannels() == 0, "nothing left to write");
        awaitOthers(b, "ch.199999", new Counts(199_999 % 5 + 1, 1));
        awaitOthers(b, "ch.199998", Counts.ZERO);
    }
}
