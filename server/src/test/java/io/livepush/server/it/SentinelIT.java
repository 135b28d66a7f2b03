package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.testing.RedisServerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster on a Sentinel-managed Redis (a primary, two replicas, three sentinels): with
 * {@code --redis-ack-replicas 1}, a failover under a publishing load loses no acknowledged message.
 */
class SentinelIT {
    private static final String MASTER = "livepush";

    @RegisterExtension
    @Order(1)
    static final RedisServerExtension primary = new RedisServerExtension();

    @RegisterExtension
    @Order(2)
    static final RedisServerExtension replica1 = RedisServerExtension.replicaOf(primary);

    @RegisterExtension
    @Order(3)
    static final RedisServerExtension replica2 = RedisServerExtension.replicaOf(primary);

    @RegisterExtension
    @Order(4)
    static final RedisServerExtension sentinel1 = RedisServerExtension.sentinelOf(primary, MASTER, 2);

    @RegisterExtension
    @Order(5)
    static final RedisServerExtension sentinel2 = RedisServerExtension.sentinelOf(primary, MASTER, 2);

    @RegisterExtension
    @Order(6)
    static final RedisServerExtension sentinel3 = RedisServerExtension.sentinelOf(primary, MASTER, 2);

    @RegisterExtension
    @Order(7)
    static final PushServerExtension node1 = node("n1");

    @RegisterExtension
    @Order(8)
    static final PushServerExtension node2 = node("n2");

    private static PushServerExtension node(String id) {
        return PushServerExtension.clusterNode(
                id,
                () -> "redis-sentinel://127.0.0.1:" + sentinel1.port() + ",127.0.0.1:" + sentinel2.port()
                        + ",127.0.0.1:" + sentinel3.port() + "/" + MASTER,
                b -> b.redisAckReplicas(1));
    }

    @Test
    void aFailoverUnderPublishingLoadLosesNoAcknowledgedMessage() throws Exception {
        String room = "sentinel.failover";
        Map<Long, String> acked = new HashMap<>();
        try (TestClient pub = node1.connect("pub")) {
            for (int i = 0; i < 300; i++) {
                if (i == 100) {
                    primary.signal("KILL");
                }
                String text = "m" + i;
                ServerFrame ack = publishUntilAcked(pub, room, text);
                assertThat(acked.put(ack.getPublished().getSeq(), text))
                        .as("seq %d acknowledged twice", ack.getPublished().getSeq())
                        .isNull();
            }
        }
        try (TestClient reader = node2.connect("reader")) {
            HistoryResult history = historyOnceAnswered(reader, room);
            Map<Long, String> stored = new HashMap<>();
            history.getMessagesList()
                    .forEach(m -> stored.put(m.getSeq(), m.getPayload().toStringUtf8()));
            acked.forEach((seq, text) -> assertThat(stored.get(seq))
                    .as("acknowledged seq %d after the failover", seq)
                    .isEqualTo(text));
        }
    }

    /** Node 2 may still be finding the new primary: it answers "unavailable, retry shortly" until then. */
    private static HistoryResult historyOnceAnswered(TestClient reader, String room) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ServerFrame answer = reader.request(ClientFrame.newBuilder()
                    .setHistory(History.newBuilder().setChannel(room).setLimit(1000)));
            if (answer.hasHistory()) {
                return answer.getHistory();
            }
            assertThat(System.nanoTime())
                    .as("history answered within 30 s (last answer %s)", answer)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Publishes with an idempotency key until acknowledged: a retry after a failure is never stored twice. */
    private static ServerFrame publishUntilAcked(TestClient pub, String room, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            ServerFrame answer = pub.request(ClientFrame.newBuilder()
                    .setPublish(Publish.newBuilder()
                            .setChannel(room)
                            .setKind("chat")
                            .setPayload(ByteString.copyFromUtf8(text))
                            .setIdempotencyKey(text)));
            if (answer.hasPublished()) {
                return answer;
            }
            assertThat(System.nanoTime())
                    .as("%s acknowledged within 60 s (last answer %s)", text, answer)
                    .isLessThan(deadline);
        }
    }
}
