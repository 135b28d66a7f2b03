package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.livepush.proto.v1.DataChanged;
import io.livepush.proto.v1.Item;
import io.livepush.proto.v1.ItemChange;
import io.livepush.server.sync.ChangeNotice;
import io.livepush.server.sync.Fingerprints;
import io.livepush.server.sync.SpaceFullException;
import io.livepush.server.sync.SpaceRead;
import io.livepush.server.testing.RedisServerExtension;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisSpaces} and its two scripts against a real redis-server. */
@Timeout(60)
class RedisSpacesIT {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SPACE = "space.u1";

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static final CommandIssuer ISSUER = new CommandIssuer();

    private static RedisClient client;
    private static StatefulRedisConnection<String, byte[]> connection;
    private static StatefulRedisPubSubConnection<String, byte[]> publisher;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(redisServer.uri());
        connection = client.connect(CODEC);
        publisher = client.connectPubSub(CODEC);
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            publisher.close();
            connection.close();
            client.shutdown();
        }
    }

    @BeforeEach
    void flush() {
        connection.sync().flushall();
    }

    private static RedisSpaces spaces(int maxItemsPerSpace) {
        return new RedisSpaces(
                connection.async(),
                ISSUER,
                new RedisPubSub(publisher, connection.async(), ISSUER, PubSubMode.CLASSIC),
                maxItemsPerSpace);
    }

    @Test
    void aSpaceNeverWrittenReadsEmptyAtCursorZero() throws Exception {
        SpaceRead read = await(spaces(10).read(SPACE, List.of("a"), 0, 10));
        assertThat(read.cursor()).isZero();
        assertThat(read.items()).isEmpty();
        assertThat(read.changed()).isEmpty();
    }

    @Test
    void aCommitIsACompareAndSetOfTheCursor() throws Exception {
        RedisSpaces spaces = spaces(10);
        await(spaces.start());
        assertThat(await(spaces.commit(SPACE, 0, List.of(item("a", 1, "one")), notice())))
                .isTrue();
        assertThat(await(spaces.commit(SPACE, 0, List.of(item("a", 1, "lost")), notice())))
                .as("decided on a cursor that moved")
                .isFalse();
        SpaceRead read = await(spaces.read(SPACE, List.of("a"), 0, 10));
        assertThat(read.cursor()).isEqualTo(1);
        assertThat(read.items().get("a").getContent().toStringUtf8()).isEqualTo("one");
        assertThat(await(spaces.commit(SPACE, 1, List.of(item("a", 2, "two"), item("b", 3, "b")), notice())))
                .isTrue();
        assertThat(await(spaces.read(SPACE, List.of(), 0, 10)).cursor()).isEqualTo(3);
    }

    @Test
    void aReadGivesAskedItemsAndTheOthersChangedSinceOldestFirstWithinTheLimit() throws Exception {
        RedisSpaces spaces = spaces(10);
        await(spaces.commit(SPACE, 0, List.of(item("a", 1, "a"), item("b", 2, "b"), item("c", 3, "c")), notice()));
        await(spaces.commit(SPACE, 3, List.of(tombstone("b", 4)), notice()));

        SpaceRead read = await(spaces.read(SPACE, List.of("a", "never"), 1, 10));
        assertThat(read.cursor()).isEqualTo(4);
        assertThat(read.items()).containsOnlyKeys("a");
        assertThat(read.changed()).extracting(Item::getItemId).containsExactly("c", "b");
        assertThat(read.changed().get(1).getDeleted()).isTrue();

        assertThat(await(spaces.read(SPACE, List.of("c"), 0, 2)).changed())
                .as("the asked-for ones are not among the changed, nor counted")
                .extracting(Item::getItemId)
                .containsExactly("a", "b");
        assertThat(await(spaces.read(SPACE, List.of("a"), 0, 0)).changed()).isEmpty();
        assertThat(await(spaces.read(SPACE, List.of(), 4, 10)).changed()).isEmpty();
    }

    @Test
    void aCommitAnnouncesItsDataChangedOnTheControlChannelOnlyWhenItStored() throws Exception {
        BlockingQueue<byte[]> events = new LinkedBlockingQueue<>();
        StatefulRedisPubSubConnection<String, byte[]> subscriber = client.connectPubSub(CODEC);
        try {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, byte[] message) {
                    events.add(message);
                }
            });
            subscriber.sync().subscribe(ClusterControl.CONTROL);
            RedisSpaces spaces = spaces(10);
            await(spaces.commit(SPACE, 0, List.of(item("a", 1, "one")), notice("first")));
            await(spaces.commit(SPACE, 0, List.of(item("a", 1, "lost")), notice("lost")));
            await(spaces.commit(SPACE, 1, List.of(item("a", 2, "two")), notice("second")));

            assertThat(origin(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)))
                    .isEqualTo("first");
            byte[] second = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(origin(second)).as("nothing of the refused commit").isEqualTo("second");
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(second));
            assertThat(in.readByte()).isEqualTo((byte) 's');
            assertThat(in.readUTF()).isEqualTo("u1");
            assertThat(in.readUTF()).isEqualTo("second");
            assertThat(DataChanged.parseFrom(in)).isEqualTo(notice("second").changed());
        } finally {
            subscriber.close();
        }
    }

    @Test
    void aSpaceRefusesNewItemsPastItsBoundButTakesChangesToItemsItHolds() throws Exception {
        RedisSpaces spaces = spaces(2);
        await(spaces.commit(SPACE, 0, List.of(item("a", 1, "a"), item("b", 2, "b")), notice()));
        assertThatThrownBy(() ->
                        await(spaces.commit(SPACE, 2, List.of(item("a", 3, "a2"), item("c", 4, "c")), notice())))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SpaceFullException.class)
                .hasMessageContaining("holds 2 items (limit: 2 per space");
        assertThat(await(spaces.read(SPACE, List.of("a", "c"), 0, 0)))
                .as("nothing of the refused change")
                .satisfies(r -> {
                    assertThat(r.cursor()).isEqualTo(2);
                    assertThat(r.items()).containsOnlyKeys("a");
                    assertThat(r.items().get("a").getVersion()).isEqualTo(1);
                });
        assertThat(await(spaces.commit(SPACE, 2, List.of(item("a", 3, "a2"), tombstone("b", 4)), notice())))
                .isTrue();
    }

    @Test
    void concurrentWritersEachGetDistinctVersionsAndLoseNoCommit() throws Exception {
        RedisSpaces spaces = spaces(1_000);
        int writers = 4;
        int commitsEach = 50;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Long>>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String id = "w" + w;
                done.add(pool.submit(() -> {
                    List<Long> versions = new ArrayList<>();
                    while (versions.size() < commitsEach) {
                        long cursor =
                                await(spaces.read(SPACE, List.of(id), 0, 0)).cursor();
                        if (await(spaces.commit(SPACE, cursor, List.of(item(id, cursor + 1, "x")), notice()))) {
                            versions.add(cursor + 1);
                        }
                    }
                    return versions;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : done) {
                List<Long> versions = f.get();
                assertThat(versions).isSorted().doesNotHaveDuplicates();
                all.addAll(versions);
            }
            assertThat(Set.copyOf(all)).hasSize(writers * commitsEach);
            SpaceRead end = await(spaces.read(SPACE, List.of(), 0, 100));
            assertThat(end.cursor()).isEqualTo(writers * commitsEach);
            assertThat(end.changed()).hasSize(writers);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String origin(byte[] event) throws Exception {
        assertThat(event).as("an event within %s", WAIT).isNotNull();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(event));
        in.readByte();
        in.readUTF();
        return in.readUTF();
    }

    private static ChangeNotice notice() {
        return notice("session-1");
    }

    private static ChangeNotice notice(String origin) {
        return new ChangeNotice(
                "u1",
                origin,
                DataChanged.newBuilder()
                        .setSpace(SPACE)
                        .addChanges(ItemChange.newBuilder().setItemId(origin).setBaseVersion(1))
                        .build());
    }

    private static Item item(String id, long version, String content) {
        ByteString bytes = ByteString.copyFrom(content, UTF_8);
        return Item.newBuilder()
                .setItemId(id)
                .setVersion(version)
                .setContent(bytes)
                .setFingerprint(Fingerprints.of(bytes))
                .build();
    }

    private static Item tombstone(String id, long version) {
        return Item.newBuilder()
                .setItemId(id)
                .setVersion(version)
                .setDeleted(true)
                .build();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
