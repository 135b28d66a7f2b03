package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ConflictPolicy;
import io.livepush.proto.v1.DataChanged;
import io.livepush.proto.v1.DataSyncResult;
import io.livepush.proto.v1.DataUpload;
import io.livepush.proto.v1.DataUploadResult;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Item;
import io.livepush.proto.v1.ItemChange;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.cluster.RedisSpaces;
import io.livepush.server.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * PROTOCOL.md "Cluster" 1, 2 and 4 on three in-JVM nodes sharing a Redis: one sequence per channel whoever
 * publishes where, resume on another node, applets, idempotency and user disconnects across nodes. Each
 * subclass says which Redis ({@link ClusterIT}: one server; {@link RedisClusterIT}: a Redis Cluster) and
 * registers the three nodes; the scenarios are the same.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
abstract class ClusterScenarios {
    /** Rooms published to at once by the ordering test: on a Redis Cluster their slots are on three primaries. */
    static final List<String> ORDER_ROOMS = List.of("cluster.order.a", "cluster.order.b", "cluster.order.c");

    /** The three nodes, registered by the subclass as extensions after its Redis. */
    abstract List<? extends ClusterNode> nodes();

    final ClusterNode node(int i) {
        return nodes().get(i - 1);
    }

    /** A node on the Redis at {@code redisUrl} (read at its start, once that Redis runs). */
    static PushServerExtension node(String id, Supplier<String> redisUrl) {
        return PushServerExtension.clusterNode(
                id, redisUrl, b -> b.replayPageSize(16).retentionMaxMessages(100_000));
    }

    /** The same node as {@link #node(String, Supplier)}, in a server process of its own. */
    static ServerProcessExtension processNode(String id, Supplier<String> redisUrl) {
        return new ServerProcessExtension(() -> List.of(
                "--engine", "redis",
                "--redis-url", redisUrl.get(),
                "--node-id", id,
                "--replay-page-size", "16",
                "--retention-max-messages", "100000"));
    }

    @Test
    void concurrentPublishersOnEveryNodeGiveMembersOnEveryNodeOneOrder() throws Exception {
        List<? extends ClusterNode> nodes = nodes();
        Map<String, List<TestClient>> members = new HashMap<>(); // a connection is in one room at a time
        List<TestClient> publishers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int i = 0; i < nodes.size(); i++) {
                for (String room : ORDER_ROOMS) {
                    TestClient m = nodes.get(i).connect("member" + i);
                    members.computeIfAbsent(room, r -> new ArrayList<>()).add(m);
                    assertThat(m.join(room).getJoined().getLastSeq()).isZero();
                }
                publishers.add(nodes.get(i).connect("publisher" + i));
            }
            int perRoom = 150;
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < publishers.size(); i++) {
                TestClient pub = publishers.get(i);
                int node = i;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < perRoom; k++) {
                        for (String room : ORDER_ROOMS) {
                            ServerFrame ack = pub.publish(room, "n" + node + "-" + k);
                            assertThat(ack.hasPublished()).as("%s", ack).isTrue();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            int total = perRoom * publishers.size();
            for (String room : ORDER_ROOMS) {
                List<String> first = null;
                for (TestClient m : members.get(room)) {
                    List<Message> got = m.messages(room, total);
                    assertThat(got).extracting(Message::getSeq).containsExactlyElementsOf(range(1, total));
                    List<String> payloads =
                            got.stream().map(x -> x.getPayload().toStringUtf8()).toList();
                    assertThat(payloads).containsExactlyElementsOf(first == null ? payloads : first);
                    first = payloads;
                    assertNothingMore(m);
                }
            }
        } finally {
            pool.shutdownNow();
            for (List<TestClient> room : members.values()) {
                for (TestClient c : room) {
                    c.close();
                }
            }
            for (TestClient c : publishers) {
                c.close();
            }
        }
    }

    @Test
    void resumeOnAnotherNodeGetsExactlyWhatWasMissed() throws Exception {
        String room = "cluster.resume";
        try (TestClient pub = node(3).connect("pub")) {
            Position position;
            try (TestClient c = node(1).connect("viewer")) {
                c.join(room);
                for (int i = 1; i <= 20; i++) {
                    pub.publish(room, "m" + i);
                }
                List<Message> seen = c.messages(room, 20);
                Message last = seen.get(19);
                position = Position.newBuilder()
                        .setEpoch(last.getEpoch())
                        .setSeq(last.getSeq())
                        .build();
            }
            for (int i = 21; i <= 50; i++) {
                pub.publish(room, "m" + i);
            }
            try (TestClient c = node(2).connect("viewer")) {
                RoomJoined joined = c.join(room, position).getJoined();
                assertThat(joined.getRecovered()).isTrue();
                assertThat(joined.getReplayed()).isEqualTo(30);
                pub.publish(room, "m51");
                List<Message> got = c.messages(room, 31);
                assertThat(got).extracting(Message::getSeq).containsExactlyElementsOf(range(21, 51));
                assertThat(got.get(0).getPayload().toStringUtf8()).isEqualTo("m21");
                assertNothingMore(c);
            }
        }
    }

    @Test
    void resumeOnAnotherNodeWhilePublishersRunFlatOut() throws Exception {
        String room = "cluster.race";
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicLong lastAcked = new AtomicLong();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (TestClient pub = node(1).connect("pub");
                TestClient pipe = node(3).connect("pipe")) {
            pub.publish(room, "first");
            Future<?> publisher = pool.submit(() -> {
                while (publishing.get()) {
                    lastAcked.set(pipe.publish(room, "x").getPublished().getSeq());
                }
                return null;
            });
            for (int round = 0; round < 5; round++) {
                Position position;
                try (TestClient c = node(1).connect("viewer")) {
                    RoomJoined joined = c.join(room).getJoined();
                    Message m = c.messages(room, 1).get(0);
                    assertThat(m.getSeq()).isGreaterThan(joined.getLastSeq());
                    position = Position.newBuilder()
                            .setEpoch(m.getEpoch())
                            .setSeq(m.getSeq())
                            .build();
                }
                long target = lastAcked.get() + 200;
                try (TestClient c = (round % 2 == 0 ? node(2) : node(3)).connect("viewer")) {
                    RoomJoined joined = c.join(room, position).getJoined();
                    assertThat(joined.getRecovered())
                            .as("round %d: %s", round, joined)
                            .isTrue();
                    long expected = position.getSeq() + 1;
                    while (expected <= target) {
                        Message m = c.messages(room, 1).get(0);
                        assertThat(m.getSeq()).as("round %d", round).isEqualTo(expected);
                        expected++;
                    }
                }
            }
            publishing.set(false);
            publisher.get();
        } finally {
            publishing.set(false);
            pool.shutdownNow();
        }
    }

    @Test
    void appletsAreComparedAndSetAcrossNodesAndReachMembersOnEveryNodeInOrderWithMessages() throws Exception {
        String room = "cluster.applet";
        try (TestClient writer1 = node(1).connect("w1");
                TestClient writer2 = node(2).connect("w2");
                TestClient member = node(3).connect("m")) {
            member.join(room);
            assertThat(writer1.appletUpdate(room, "wheel", "v1", 0)
                            .getApplets()
                            .getStates(0)
                            .getVersion())
                    .isEqualTo(1);
            writer2.publish(room, "between");
            ServerFrame stale = writer2.appletUpdate(room, "wheel", "stale", 7);
            assertThat(stale.getError().getCode()).isEqualTo(io.livepush.proto.v1.ErrorCode.VERSION_CONFLICT);
            assertThat(writer2.appletUpdate(room, "wheel", "v2", 1)
                            .getApplets()
                            .getStates(0)
                            .getVersion())
                    .isEqualTo(2);

            List<String> seen = new ArrayList<>();
            while (seen.size() < 3) {
                ServerFrame f = member.await(x -> x.hasApplet() || x.hasMessage());
                seen.add(
                        f.hasApplet()
                                ? f.getApplet().getContent().toStringUtf8()
                                : f.getMessage().getPayload().toStringUtf8());
            }
            assertThat(seen).containsExactly("v1", "between", "v2");

            try (TestClient late = node(1).connect("late")) {
                RoomJoined joined = late.join(room).getJoined();
                assertThat(joined.getAppletsList()).singleElement().satisfies(a -> {
                    assertThat(a.getVersion()).isEqualTo(2);
                    assertThat(a.getContent().toStringUtf8()).isEqualTo("v2");
                });
                assertThat(late.appletSync(room, "", 1).getApplets().getStatesList())
                        .extracting(a -> a.getContent().toStringUtf8())
                        .containsExactly("v2");
            }
        }
    }

    @Test
    void aNewDeviceOnAnotherNodeGetsOnlyWhatItsHaveSetLacks() throws Exception {
        String channel = "cluster.have";
        try (TestClient pub = node(1).connect("pub");
                TestClient device = node(2).connect("device")) {
            for (int i = 1; i <= 10; i++) {
                assertThat(pub.publish(channel, "m" + i).hasPublished()).isTrue();
            }
            HistoryResult rest =
                    HistoryIT.history(device, channel, 0, List.of(HistoryIT.have(1, 3), HistoryIT.have(6, 8)), 0);
            assertThat(rest.getLastSeq()).isEqualTo(10);
            assertThat(rest.getMessagesList()).extracting(Message::getSeq).containsExactly(4L, 5L, 9L, 10L);
            assertThat(rest.getMessagesList())
                    .extracting(m -> m.getPayload().toStringUtf8())
                    .containsExactly("m4", "m5", "m9", "m10");
        }
    }

    @Test
    void anIdempotencyKeyRepeatedOnAnotherNodeGetsTheFirstAck() throws Exception {
        String room = "cluster.idem";
        try (TestClient a = node(1).connect("a");
                TestClient b = node(2).connect("b");
                TestClient m = node(3).connect("m")) {
            m.join(room);
            ServerFrame first = a.request(ClientFrame.newBuilder()
                    .setPublish(io.livepush.proto.v1.Publish.newBuilder()
                            .setChannel(room)
                            .setKind("chat")
                            .setPayload(com.google.protobuf.ByteString.copyFromUtf8("once"))
                            .setIdempotencyKey("k-1")));
            ServerFrame again = b.request(ClientFrame.newBuilder()
                    .setPublish(io.livepush.proto.v1.Publish.newBuilder()
                            .setChannel(room)
                            .setKind("chat")
                            .setPayload(com.google.protobuf.ByteString.copyFromUtf8("twice"))
                            .setIdempotencyKey("k-1")));
            assertThat(again.getPublished()).isEqualTo(first.getPublished());
            assertThat(m.messages(room, 1).get(0).getPayload().toStringUtf8()).isEqualTo("once");
            assertNothingMore(m);
        }
    }

    @Test
    void disconnectBanAndRevokeOnOneNodeActOnEveryNode() throws Exception {
        AdminClient api = new AdminClient(node(1).adminUrl(), PushServerExtension.API_KEY);
        try (TestClient on2 = node(2).connect("mallory");
                TestClient on3 = node(3).connect("mallory");
                TestClient bystander = node(3).connect("alice")) {
            com.fasterxml.jackson.databind.JsonNode banned = api.post(
                            "/api/v1/users/mallory/disconnect",
                            AdminClient.object().put("reason", "spam").put("ban_s", 600))
                    .json();
            assertThat(banned.get("closed").asInt()).as("%s", banned).isEqualTo(2);
            assertThat(on2.await(ServerFrame::hasGoAway).getGoAway().getReason())
                    .isEqualTo("spam");
            assertThat(on3.await(ServerFrame::hasGoAway).getGoAway().getReconnectAfterMs())
                    .isEqualTo(600_000);
            on2.awaitClosed();
            on3.awaitClosed();
            for (ClusterNode node : nodes()) {
                try (TestClient again = TestClient.open(node.tcpAddress())) {
                    ServerFrame refused = again.request(ClientFrame.newBuilder()
                            .setConnect(io.livepush.proto.v1.Connect.newBuilder()
                                    .setToken(node.tokenFor("mallory"))
                                    .setProtocolVersion(1)));
                    assertThat(refused.getError().getCode()).isEqualTo(io.livepush.proto.v1.ErrorCode.FORBIDDEN);
                }
            }
            assertThat(bystander
                            .request(ClientFrame.newBuilder()
                                    .setPing(Ping.newBuilder().setNonce(2)))
                            .hasPong())
                    .isTrue();

            assertThat(api.delete("/api/v1/users/mallory/ban").status()).isEqualTo(200);
            try (TestClient back = node(2).connect("mallory")) {
                assertThat(back.request(ClientFrame.newBuilder()
                                        .setPing(Ping.newBuilder().setNonce(3)))
                                .hasPong())
                        .as("unbanned on every node")
                        .isTrue();
            }
        }
    }

    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(s);
        }
        return out;
    }

    /** No duplicate or stray message trails what was expected (a round trip flushes the connection). */
    @Test
    void presenceCountsEveryNodeAndFollowsASwitch() throws Exception {
        String room = "cluster.presence";
        String next = "cluster.presence.next";
        try (TestClient a = node(1).connect("a");
                TestClient b = node(2).connect("b");
                TestClient s = node(2).connect("s")) {
            a.join(room);
            b.join(room);
            s.subscribe(room);
            for (ClusterNode node : nodes()) {
                awaitPresence(node, room, 2, 1);
            }
            try (TestClient c = node(3).connect("c")) {
                assertThat(c.join(room).getJoined().getMembers())
                        .as("RoomJoined.members counts the members on the other nodes")
                        .isEqualTo(3);
                assertThat(c.switchRoom(next).getJoined().getMembers()).isEqualTo(1);
                awaitPresence(node(1), room, 2, 1);
                awaitPresence(node(2), next, 1, 0);
            }
            awaitPresence(node(1), next, 0, 0); // gone with its connection
            b.switchRoom(next);
            awaitPresence(node(3), room, 1, 1);
            awaitPresence(node(3), next, 1, 0);
        }
    }

    private static void awaitPresence(ClusterNode node, String channel, long members, long subscribers)
            throws InterruptedException {
        new AdminClient(node.adminUrl(), PushServerExtension.API_KEY)
                .awaitPresence(channel, members, subscribers, TestClient.TIMEOUT);
    }

    @Test
    void dataSyncChangesReachTheUsersConnectionsOnEveryNodeAndDownloadOnAnyNode() throws Exception {
        String space = "space.sync1";
        try (TestClient device1 = node(1).connect("sync1");
                TestClient tablet = node(1).connect("sync1");
                TestClient device2 = node(2).connect("sync1");
                TestClient stranger = node(2).connect("sync1b");
                TestClient device3 = node(3).connect("sync1")) {
            DataUploadResult up = DataSyncIT.upload(device1, space, DataSyncIT.item("pref", "dark"));
            assertThat(up.getCursor()).isEqualTo(1);
            for (TestClient other : List.of(device2, tablet, device3)) {
                DataChanged pushed = other.await(ServerFrame::hasDataChanged).getDataChanged();
                assertThat(pushed.getSpace()).isEqualTo(space);
                assertThat(pushed.getChangesList()).singleElement().satisfies(c -> {
                    assertThat(c.getItemId()).isEqualTo("pref");
                    assertThat(c.getBaseVersion()).isEqualTo(1);
                    assertThat(c.getFingerprint()).isEqualTo(DataSyncIT.fp("dark"));
                });
            }
            // The pushes to node 1 went out together: the sender's, had there been one, came before the pong.
            DataSyncIT.assertNoDataChanged(device1);
            DataSyncIT.assertNoDataChanged(stranger);

            DataSyncResult got = DataSyncIT.sync(device3, space, 0, ConflictPolicy.SERVER_WINS);
            assertThat(DataSyncIT.contents(got)).containsExactlyEntriesOf(Map.of("pref", "dark"));
            assertThat(got.getCursor()).isEqualTo(1);

            // A conflicting edit on node 2 from the old base resolves as on one node.
            ItemChange light = ItemChange.newBuilder()
                    .setItemId("pref")
                    .setFingerprint(DataSyncIT.fp("light"))
                    .setBaseVersion(0)
                    .build();
            assertThat(DataSyncIT.contents(DataSyncIT.sync(device2, space, 0, ConflictPolicy.SERVER_WINS, light)))
                    .containsExactlyEntriesOf(Map.of("pref", "dark"));
            assertThat(DataSyncIT.sync(device2, space, 0, ConflictPolicy.CLIENT_WINS, light)
                            .getUploadIdsList())
                    .containsExactly("pref");
        }
    }

    @Test
    void concurrentConflictingUploadsOnTwoNodesLoseNoUpdateAndVersionsStrictlyIncrease() throws Exception {
        String space = "space.sync2";
        int rounds = 40;
        List<ClusterNode> nodes = List.of(node(1), node(2));
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        Map<Long, String> sharedByVersion = new ConcurrentHashMap<>();
        try {
            List<Future<List<Long>>> done = new ArrayList<>();
            for (int d = 0; d < nodes.size(); d++) {
                TestClient device = nodes.get(d).connect("sync2");
                String name = "d" + d;
                done.add(pool.submit(() -> {
                    try (device) {
                        List<Long> versions = new ArrayList<>();
                        for (int k = 0; k < rounds; k++) {
                            String shared = name + "-" + k;
                            DataUploadResult r = uploadRetryingWhileBusy(
                                    device,
                                    space,
                                    DataSyncIT.item("shared", shared),
                                    DataSyncIT.item(name + "." + k, shared));
                            assertThat(r.getItemsList())
                                    .extracting(Item::getVersion)
                                    .as("one commit: consecutive versions")
                                    .containsExactly(r.getCursor() - 1, r.getCursor());
                            sharedByVersion.put(r.getItems(0).getVersion(), shared);
                            versions.add(r.getItems(0).getVersion());
                            versions.add(r.getItems(1).getVersion());
                        }
                        return versions;
                    }
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> f : done) {
                List<Long> versions = f.get();
                assertThat(versions)
                        .as("each device's versions strictly increase")
                        .isSorted();
                assertThat(versions).doesNotHaveDuplicates();
                all.addAll(versions);
            }
            int stored = 2 * rounds * nodes.size();
            assertThat(all).as("every version assigned once").hasSize(stored);

            try (TestClient reader = node(3).connect("sync2")) {
                DataSyncResult end = DataSyncIT.sync(reader, space, 0, ConflictPolicy.SERVER_WINS);
                assertThat(end.getCursor()).isEqualTo(stored);
                assertThat(end.getMore()).isFalse();
                Map<String, String> contents = DataSyncIT.contents(end);
                assertThat(contents).hasSize(1 + rounds * nodes.size());
                long last = sharedByVersion.keySet().stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElseThrow();
                assertThat(contents.get("shared")).isEqualTo(sharedByVersion.get(last));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSpaceInRedisRefusesNewItemsPastItsBoundWithLimitExceededButTakesChangesToItsItems() throws Exception {
        String space = "space.sync3";
        int perRequest = ServerConfig.DEFAULT_DATA_MAX_ITEMS_PER_REQUEST;
        try (TestClient c = node(1).connect("sync3")) {
            for (int n = 0; n < RedisSpaces.MAX_ITEMS_PER_SPACE; n += perRequest) {
                List<Item> items = new ArrayList<>();
                for (int i = n; i < n + perRequest; i++) {
                    items.add(DataSyncIT.item("i" + i, "x"));
                }
                DataSyncIT.upload(c, space, items.toArray(Item[]::new));
            }
            ServerFrame refused = c.request(ClientFrame.newBuilder()
                    .setDataUpload(DataUpload.newBuilder()
                            .setSpace(space)
                            .addItems(DataSyncIT.item("i0", "changed"))
                            .addItems(DataSyncIT.item("one-more", "x"))));
            assertThat(refused.getError().getCode()).as("%s", refused).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(refused.getError().getMessage())
                    .isEqualTo("space " + space + " holds 10000 items (limit: 10000 per space, deleted ones included)");
            DataUploadResult changed = DataSyncIT.upload(c, space, DataSyncIT.item("i0", "changed"));
            assertThat(changed.getCursor()).as("nothing of the refused upload").isEqualTo(10_001);
        }
    }

    /** A device's upload, sent again while the answer is "busy" (what the error asks a client to do). */
    private static DataUploadResult uploadRetryingWhileBusy(TestClient c, String space, Item... items) {
        for (int tries = 0; tries < 100; tries++) {
            ServerFrame f = c.request(ClientFrame.newBuilder()
                    .setDataUpload(DataUpload.newBuilder().setSpace(space).addAllItems(List.of(items))));
            if (!f.hasError() || f.getError().getCode() != ErrorCode.RATE_LIMITED) {
                assertThat(f.hasDataUpload()).as("answer %s", f).isTrue();
                return f.getDataUpload();
            }
        }
        throw new AssertionError("busy 100 times in a row");
    }

    static void assertNothingMore(TestClient c) throws InterruptedException {
        assertThat(c.request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(1)))
                        .hasPong())
                .isTrue();
        ServerFrame extra;
        while ((extra = c.poll(Duration.ZERO)) != null) {
            assertThat(extra.hasMessage()).as("unexpected frame %s", extra).isFalse();
        }
    }
}
