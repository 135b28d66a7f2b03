package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.KeyRing;
import io.livepush.server.auth.Operation;
import io.livepush.server.auth.TokenIssuer;
import io.livepush.server.testing.RedisServerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROTOCOL.md "Cluster" with real server processes: one sequence under concurrent publishers on three nodes, resume
 * on another node and presence of all nodes; losing a node (kill -9) loses no acknowledged message, and its members
 * stop being counted within 30 s.
 */
class ClusterProcessIT {
    private static final String SECRET = "cluster-it-secret-0123456789abcdef01234";
    private static final String API_KEY = "cluster-it-api-key";
    private static final TokenIssuer TOKENS = new TokenIssuer(KeyRing.of(SECRET, Map.of()), Clock.systemUTC());

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @TempDir
    Path dataDir;

    private final List<ServerProcess> processes = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
        processes.forEach(ServerProcess::close);
    }

    @Test
    void killingANodeUnderPublishingLoadLosesNoAcknowledgedMessage() throws Exception {
        ServerProcess victim = node("n1");
        ServerProcess survivor = node("n2");
        String room = "cluster.kill";
        try (TestClient member = TestClient.open(survivor.tcpAddress())) {
            member.connect(token("member"));
            member.join(room);

            Map<Long, String> acked = new ConcurrentHashMap<>();
            CountDownLatch enoughAcked = new CountDownLatch(300);
            Future<?> publisher = threads.submit(() -> {
                try (TestClient pub = TestClient.open(victim.tcpAddress())) {
                    pub.connect(token("pub"));
                    for (int i = 0; ; i++) {
                        String text = "m" + i;
                        ServerFrame ack = pub.publish(room, text);
                        acked.put(ack.getPublished().getSeq(), text);
                        enoughAcked.countDown();
                    }
                } catch (Throwable expected) {
                    return null; // its node died under it
                }
            });
            assertThat(enoughAcked.await(30, TimeUnit.SECONDS)).isTrue();
            victim.kill();
            publisher.get(30, TimeUnit.SECONDS);

            long lastAcked =
                    acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            List<Message> live = member.messages(room, (int) lastAcked);
            for (int i = 0; i < live.size(); i++) {
                assertThat(live.get(i).getSeq())
                        .as("live on the other node, in order")
                        .isEqualTo(i + 1);
            }
            try (TestClient reader = TestClient.open(survivor.tcpAddress())) {
                reader.connect(token("reader"));
                HistoryResult history = reader.request(ClientFrame.newBuilder()
                                .setHistory(
                                        History.newBuilder().setChannel(room).setLimit(1000)))
                        .getHistory();
                assertThat(history.getLastSeq()).isGreaterThanOrEqualTo(lastAcked);
                Map<Long, String> stored = new ConcurrentHashMap<>();
                history.getMessagesList()
                        .forEach(m -> stored.put(m.getSeq(), m.getPayload().toStringUtf8()));
                acked.forEach((seq, text) ->
                        assertThat(stored.get(seq)).as("acked seq %d", seq).isEqualTo(text));
            }
        }
    }

    @Test
    void threeProcessesGiveOneSequenceResumeOnAnyNodeAndCountPresenceTogether() throws Exception {
        List<ServerProcess> nodes = List.of(node("n1"), node("n2"), node("n3"));
        String room = "cluster.three";
        int perNode = 100;
        List<TestClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                TestClient member = TestClient.open(nodes.get(i).tcpAddress());
                members.add(member);
                member.connect(token("member" + i));
                member.join(room);
            }
            new AdminClient(nodes.get(0).adminUrl(), API_KEY).awaitPresence(room, 3, 0, Duration.ofSeconds(10));

            List<Future<?>> publishers = new ArrayList<>();
            for (ServerProcess node : nodes) {
                publishers.add(threads.submit(() -> {
                    try (TestClient pub = TestClient.open(node.tcpAddress())) {
                        pub.connect(token("pub"));
                        for (int i = 0; i < perNode; i++) {
                            assertThat(pub.publish(room, node.tcpAddress().getPort() + ":" + i)
                                            .hasPublished())
                                    .isTrue();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> p : publishers) {
                p.get(60, TimeUnit.SECONDS);
            }
            int total = perNode * nodes.size();
            List<String> order = null;
            String epoch = null;
            for (TestClient member : members) {
                List<Message> got = member.messages(room, total);
                epoch = got.get(0).getEpoch();
                for (int i = 0; i < total; i++) {
                    assertThat(got.get(i).getSeq()).isEqualTo(i + 1);
                }
                List<String> payloads =
                        got.stream().map(m -> m.getPayload().toStringUtf8()).toList();
                if (order == null) {
                    order = payloads;
                } else {
                    assertThat(payloads).as("the same order on every node").isEqualTo(order);
                }
            }

            // A member of node 1 that comes back on node 3 after seq 100.
            try (TestClient back = TestClient.open(nodes.get(2).tcpAddress())) {
                back.connect(token("member0"));
                RoomJoined joined = back.join(
                                room,
                                Position.newBuilder()
                                        .setEpoch(epoch)
                                        .setSeq(100)
                                        .build())
                        .getJoined();
                assertThat(joined.getRecovered()).isTrue();
                assertThat(joined.getReplayed()).isEqualTo(total - 100);
                assertThat(joined.getMembers())
                        .as("presence of all three nodes")
                        .isEqualTo(4);
                List<Message> replayed = back.messages(room, total - 100);
                assertThat(replayed.get(0).getSeq()).isEqualTo(101);
                assertThat(replayed.stream()
                                .map(m -> m.getPayload().toStringUtf8())
                                .toList())
                        .isEqualTo(order.subList(100, total));
            }
        } finally {
            for (TestClient member : members) {
                member.close();
            }
        }
    }

    @Test
    void aKilledNodesMembersLeaveThePresenceOfTheOthersWithin30Seconds() throws Exception {
        ServerProcess victim = node("n1");
        ServerProcess survivor = node("n2");
        String room = "cluster.presence";
        AdminClient api = new AdminClient(survivor.adminUrl(), API_KEY);
        try (TestClient here = TestClient.open(survivor.tcpAddress());
                TestClient there = TestClient.open(victim.tcpAddress())) {
            here.connect(token("here"));
            here.join(room);
            there.connect(token("there"));
            there.join(room);
            api.awaitPresence(room, 2, 0, Duration.ofSeconds(10));

            long killed = System.nanoTime();
            victim.kill();
            api.awaitPresence(room, 1, 0, Duration.ofSeconds(30));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(30));
        }
    }

    private ServerProcess node(String id) throws Exception {
        ServerProcess p = ServerProcess.start(ServerProcess.onFreePorts(
                dataDir.resolve(id).toString(),
                "--token-secret",
                SECRET,
                "--api-key",
                API_KEY,
                "--engine",
                "redis",
                "--redis-url",
                redisServer.uri(),
                "--node-id",
                id,
                "--store-max-messages",
                "10000",
                "--store-max-channels",
                "1000",
                "--applet-max-entries",
                "1000",
                "--sync-max-items",
                "1000",
                "--sync-max-spaces",
                "1000"));
        processes.add(p);
        return p;
    }

    private static String token(String user) {
        return TOKENS.issue(
                user,
                Duration.ofHours(1),
                List.of(new Capability(List.of("cluster.*"), EnumSet.allOf(Operation.class))));
    }
}
