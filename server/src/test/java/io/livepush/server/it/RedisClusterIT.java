package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.testing.RedisClusterExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ClusterScenarios} with three nodes on a Redis Cluster of three primaries (sharded Pub/Sub; one primary
 * has a replica), and what only a Cluster does: channels spread over shards, a channel's slot moving to another
 * primary, a shard dropping the nodes' Pub/Sub connections, {@code WAIT} on the channel's primary.
 */
class RedisClusterIT extends ClusterScenarios {
    @RegisterExtension
    @Order(1)
    static final RedisClusterExtension redisCluster = RedisClusterExtension.withOneReplica();

    @RegisterExtension
    @Order(2)
    static final PushServerExtension node1 = node("c1", redisCluster::uri);

    @RegisterExtension
    @Order(3)
    static final PushServerExtension node2 = node("c2", redisCluster::uri);

    @RegisterExtension
    @Order(4)
    static final PushServerExtension node3 = node("c3", redisCluster::uri);

    /** A fourth node, which acknowledges a publish only once a replica of the channel's primary holds it. */
    @RegisterExtension
    @Order(5)
    static final PushServerExtension acking =
            PushServerExtension.clusterNode("c4", redisCluster::uri, b -> b.redisAckReplicas(1));

    @Override
    List<PushServerExtension> nodes() {
        return List.of(node1, node2, node3);
    }

    @Test
    void theRoomsPublishedToAtOnceLiveOnThreeDifferentPrimaries() throws Exception {
        Set<Integer> owners = new HashSet<>();
        for (String room : ORDER_ROOMS) {
            owners.add(redisCluster.ownerOf(slotOf(room)));
        }
        assertThat(owners).hasSize(3);
    }

    @Test
    void membersOnEveryNodeMissNothingWhenTheRoomsSlotMovesToAnotherPrimary() throws Exception {
        String room = "cluster.moved";
        int slot = slotOf(room);
        try (TestClient a = node1.connect("a");
                TestClient b = node2.connect("b");
                TestClient pub = node3.connect("pub")) {
            a.join(room);
            b.join(room);
            publish(pub, room, 1, 10);
            int from = redisCluster.ownerOf(slot);
            int to = redisCluster.ports().stream()
                    .filter(p -> p != from)
                    .findFirst()
                    .orElseThrow();

            redisCluster.moveSlot(slot, to);
            awaitShardSubscribers(to, room, 2);
            publish(pub, room, 11, 30);

            assertThat(redisCluster.ownerOf(slot)).isEqualTo(to);
            for (TestClient member : List.of(a, b)) {
                assertThat(member.messages(room, 30))
                        .extracting(Message::getSeq)
                        .containsExactlyElementsOf(range(1, 30));
                assertNothingMore(member);
            }
        }
    }

    @Test
    void membersMissNothingWhenTheRoomsPrimaryDropsEveryPubSubConnection() throws Exception {
        String room = "cluster.dropped";
        try (TestClient a = node1.connect("a");
                TestClient b = node2.connect("b");
                TestClient pub = node3.connect("pub")) {
            a.join(room);
            b.join(room);
            publish(pub, room, 1, 10);

            // The nodes' Lettuce reconnects, they subscribe again, and read back what was sent meanwhile.
            int owner = redisCluster.ownerOf(slotOf(room));
            redisCluster.cli(List.of("-p", Integer.toString(owner), "client", "kill", "type", "pubsub"));
            publish(pub, room, 11, 20);
            awaitShardSubscribers(owner, room, 2);
            publish(pub, room, 21, 30);

            for (TestClient member : List.of(a, b)) {
                assertThat(member.messages(room, 30))
                        .extracting(Message::getSeq)
                        .containsExactlyElementsOf(range(1, 30));
                assertNothingMore(member);
            }
        }
    }

    @Test
    void withAckReplicasThePublishWaitsForTheReplicasOfItsChannelsPrimary() throws Exception {
        // Only one primary has a replica: a WAIT sent to any other node than the channel's would flip an answer.
        String replicated = null;
        String unreplicated = null;
        for (String room : ORDER_ROOMS) {
            if (redisCluster.ownerOf(slotOf(room)) == redisCluster.replicatedPrimary()) {
                replicated = room;
            } else {
                unreplicated = room;
            }
        }
        assertThat(replicated).isNotNull();
        assertThat(unreplicated).isNotNull();
        try (TestClient pub = acking.connect("pub")) {
            assertThat(pub.publish(replicated, "held by a replica").hasPublished())
                    .isTrue();
            ServerFrame refused = pub.publish(unreplicated, "held by its primary alone");
            assertThat(refused.hasPublished()).as("%s", refused).isFalse();
            assertThat(refused.hasError()).as("%s", refused).isTrue();
        }
    }

    private static void publish(TestClient pub, String room, int from, int to) {
        List<Long> acked = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            acked.add(pub.publish(room, "m" + i).getPublished().getSeq());
        }
        assertThat(acked).containsExactlyElementsOf(range(from, to));
    }

    /** Waits until {@code subscribers} connections are subscribed to the room's live channel on that primary. */
    private static void awaitShardSubscribers(int port, String room, int subscribers) throws Exception {
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        String reply;
        while (!(reply = redisCluster
                        .cli(List.of("-p", Integer.toString(port), "pubsub", "shardnumsub", "push:{" + room + "}:live"))
                        .strip())
                .endsWith("\n" + subscribers)) {
            assertThat(System.nanoTime())
                    .as("shard subscribers on %d: %s", port, reply)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The slot of every key of {@code room} (they share its hash tag). */
    private static int slotOf(String room) {
        return SlotHash.getSlot("{" + room + "}");
    }
}
