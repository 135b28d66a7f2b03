package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PROTOCOL.md "Cluster" 5 and 6 when Redis itself fails: paused (readiness 503, then recovery with no hole),
 * restarted empty, or left without the last messages as after a failover to an asynchronous replica (new epochs:
 * clients learn their position cannot be recovered, never a different message under a seq they saw).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOutageIT {
    @RegisterExtension
    @Order(1)
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @RegisterExtension
    @Order(2)
    static final PushServerExtension node1 = node("n1");

    @RegisterExtension
    @Order(3)
    static final PushServerExtension node2 = node("n2");

    private static PushServerExtension node(String id) {
        return PushServerExtension.clusterNode(id, redisServer::uri, b -> b);
    }

    @Test
    @Order(1)
    void redisPausedMakesNodesUnreadyAndNothingIsLostOnceItIsBack() throws Exception {
        String room = "outage.pause";
        AdminClient api1 = new AdminClient(node1.adminUrl(), PushServerExtension.API_KEY);
        try (TestClient pub = node1.connect("pub");
                TestClient member = node2.connect("member")) {
            member.join(room);
            List<Long> acked = new ArrayList<>();
            String epoch = null;
            for (int i = 0; i < 10; i++) {
                ServerFrame ack = pub.publish(room, "before" + i);
                epoch = ack.getPublished().getEpoch();
                acked.add(ack.getPublished().getSeq());
            }
            redisServer.signal("STOP");
            try {
                awaitStatus(api1, 503);
                ServerFrame refused = pub.request(publish(room, "during"));
                assertThat(refused.hasError())
                        .as("a publish Redis cannot take is refused: %s", refused)
                        .isTrue();
            } finally {
                redisServer.signal("CONT");
            }
            awaitStatus(api1, 200);
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ServerFrame ack = pub.request(publish(room, "after" + i));
                answers.add(ack.toString());
                if (ack.hasPublished()) {
                    assertThat(ack.getPublished().getEpoch()).as("%s", answers).isEqualTo(epoch);
                    acked.add(ack.getPublished().getSeq());
                }
            }
            long last = acked.get(acked.size() - 1);
            List<Message> got = member.messages(room, (int) last);
            assertThat(got)
                    .extracting(Message::getSeq)
                    .as("no hole, no duplicate")
                    .doesNotHaveDuplicates();
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).getSeq()).isEqualTo(i + 1);
            }
            assertThat(got).extracting(Message::getSeq).containsAll(acked);
        }
    }

    @Test
    @Order(2)
    void redisRestartedEmptyGivesChannelsNewEpochsAndResumesAreNotRecovered() throws Exception {
        String room = "outage.empty";
        try (TestClient pub = node1.connect("pub2")) {
            Position position;
            try (TestClient member = node2.connect("member2")) {
                member.join(room);
                for (int i = 0; i < 5; i++) {
                    pub.publish(room, "old" + i);
                }
                Message last = member.messages(room, 5).get(4);
                position = Position.newBuilder()
                        .setEpoch(last.getEpoch())
                        .setSeq(last.getSeq())
                        .build();

                redisServer.restartEmpty();
                ServerFrame first = awaitPublished(pub, room, "new0");
                assertThat(first.getPublished().getEpoch()).isNotEqualTo(position.getEpoch());
                assertThat(first.getPublished().getSeq()).isEqualTo(1);
                ServerFrame next = member.await(f -> f.hasGoAway() || f.hasMessage());
                assertThat(next.hasGoAway())
                        .as("members are sent away rather than fed a new epoch's seqs: %s", next)
                        .isTrue();
            }
            try (TestClient back = node1.connect("member2")) {
                RoomJoined joined = back.join(room, position).getJoined();
                assertThat(joined.getRecovered()).isFalse();
                assertThat(joined.getEpoch()).isNotEqualTo(position.getEpoch());
            }
        }
    }

    /**
     * A failover to a replica that had not got the last messages leaves the channel in the same epoch with a shorter
     * tail, and the next publishes would reuse seqs members already got: the nodes give the channel a new epoch.
     */
    @Test
    @Order(3)
    void redisLosingATailItDeliveredGivesTheChannelANewEpoch() throws Exception {
        String room = "outage.tail";
        try (TestClient pub = node1.connect("pub3")) {
            Position position;
            try (TestClient member = node2.connect("member3")) {
                member.join(room);
                for (int i = 1; i <= 10; i++) {
                    pub.publish(room, "old" + i);
                }
                Message last = member.messages(room, 10).get(9);
                position = Position.newBuilder()
                        .setEpoch(last.getEpoch())
                        .setSeq(last.getSeq())
                        .build();

                keepOnly(room, 7);
                ServerFrame ack = pub.publish(room, "new");
                assertThat(ack.hasPublished()).as("%s", ack).isTrue();
                ServerFrame next = member.await(f -> f.hasGoAway() || f.hasMessage());
                assertThat(next.hasGoAway())
                        .as("never another message under a seq the member got: %s", next)
                        .isTrue();
            }
            try (TestClient back = node1.connect("member3")) {
                RoomJoined joined = back.join(room, position).getJoined();
                assertThat(joined.getRecovered()).isFalse();
                assertThat(joined.getEpoch()).isNotEqualTo(position.getEpoch());
            }
        }
    }

    @Test
    @Order(4)
    void aQuietChannelWhoseTailRedisLostGetsANewEpochAtTheNextTailCheck() throws Exception {
        String room = "outage.tail.quiet";
        try (TestClient pub = node1.connect("pub4");
                TestClient member = node2.connect("member4")) {
            member.join(room);
            for (int i = 1; i <= 3; i++) {
                pub.publish(room, "old" + i);
            }
            String epoch = member.messages(room, 3).get(2).getEpoch();
            keepOnly(room, 1);
            assertThat(member.await(f -> f.hasGoAway() || f.hasMessage()).hasGoAway())
                    .isTrue();
            assertThat(pub.publish(room, "new").getPublished().getEpoch()).isNotEqualTo(epoch);
        }
    }

    /**
     * Leaves Redis with the channel's first {@code seqs} messages only, in the same epoch: what a replica that had
     * not got the others holds when a failover makes it the primary.
     */
    private static void keepOnly(String room, int seqs) throws Exception {
        redisServer.cli(
                "EVAL",
                "local kept = redis.call('XRANGE', KEYS[2], '-', ARGV[1] .. '-1') "
                        + "redis.call('DEL', KEYS[2]) "
                        + "for _, e in ipairs(kept) do redis.call('XADD', KEYS[2], e[1], unpack(e[2])) end "
                        + "redis.call('HSET', KEYS[1], 'seq', ARGV[1])",
                "2",
                "push:{" + room + "}:meta",
                "push:{" + room + "}:stream",
                Integer.toString(seqs));
    }

    private static ClientFrame.Builder publish(String room, String text) {
        return ClientFrame.newBuilder()
                .setPublish(Publish.newBuilder()
                        .setChannel(room)
                        .setKind("chat")
                        .setPayload(com.google.protobuf.ByteString.copyFromUtf8(text)));
    }

    /** Publishes until it is acknowledged: the node reconnects to the restarted Redis within seconds. */
    private static ServerFrame awaitPublished(TestClient pub, String room, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            ServerFrame ack = pub.request(publish(room, text));
            if (ack.hasPublished() || System.nanoTime() > deadline) {
                assertThat(ack.hasPublished())
                        .as("published within 20 s: %s", ack)
                        .isTrue();
                return ack;
            }
        }
    }

    private static void awaitStatus(AdminClient api, int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int seen;
        while ((seen = api.get("/health/ready").status()) != status) {
            assertThat(System.nanoTime())
                    .as("/health/ready %d within 15 s (now %d)", status, seen)
                    .isLessThan(deadline);
        }
    }
}
