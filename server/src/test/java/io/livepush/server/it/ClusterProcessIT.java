package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
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
 * PROTOCOL.md "Cluster" 3 and 6 with real processes killed: losing a node (kill -9) loses no acknowledged message,
 * and its members stop being counted within 30 s ({@link ClusterIT} runs the other points on three processes).
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
        ServerProcess p = ServerProcess.start(ServerProcess.onFreePortsWithSmallStores(
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
                "10000"));
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
