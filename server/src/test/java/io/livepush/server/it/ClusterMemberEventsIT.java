package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.LeaveRoom;
import io.livepush.proto.v1.MemberJoined;
import io.livepush.proto.v1.MemberLeft;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.config.Namespace;
import io.livepush.server.config.ServerConfig;
import io.livepush.server.it.FakeBackend.Answer;
import io.livepush.server.proxy.ProxyConfig;
import io.livepush.server.proxy.ProxyHook;
import io.livepush.server.testing.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Join/leave events across two nodes on one Redis: members on every node hear of joins and leaves on any node,
 * with the room's count over every node and the joiner's proxy info; nobody hears of their own.
 */
class ClusterMemberEventsIT {
    @RegisterExtension
    @Order(1)
    static final FakeBackend backend = new FakeBackend();

    @RegisterExtension
    @Order(2)
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @RegisterExtension
    @Order(3)
    static final PushServerExtension node1 = node("e1");

    @RegisterExtension
    @Order(4)
    static final PushServerExtension node2 = node("e2");

    static {
        // The backend seats each joiner by name: the info members see in its join event.
        backend.on(
                "join",
                r -> Answer.json(
                        "{\"result\": {\"info\": {\"seat\": \"" + r.path("user").asText() + "\"}}}"));
    }

    private static PushServerExtension node(String id) {
        return PushServerExtension.clusterNode(id, redisServer::uri, ClusterMemberEventsIT::configure);
    }

    private static ServerConfig.Builder configure(ServerConfig.Builder b) {
        return b.proxy(new ProxyConfig(
                        Map.of(ProxyHook.JOIN, backend.url("join")), Duration.ofSeconds(2), 100, List.of()))
                .namespaces(
                        List.of(new Namespace("live.", 100, 3600, true, true, 65536, true, Set.of(ProxyHook.JOIN))));
    }

    @Test
    void membersOnEveryNodeHearOfJoinsAndLeavesOnAnyNodeWithTheClusterCount() throws Exception {
        String room = "live.cluster";
        try (TestClient alice = node1.connect("alice");
                TestClient bob = node2.connect("bob");
                TestClient carol = node1.connect("carol")) {
            alice.join(room);
            awaitPresence(node2, room, 1);

            ServerFrame bobJoined = bob.join(room);
            assertThat(bobJoined.getJoined().getMembers()).isEqualTo(2);
            MemberJoined heard = alice.await(ServerFrame::hasMemberJoined).getMemberJoined();
            assertThat(heard.getUserId()).isEqualTo("bob");
            assertThat(heard.getMembers()).as("alice on e1 and bob on e2").isEqualTo(2);
            assertThat(heard.getInfo().toStringUtf8())
                    .as("the info the join hook gave bob, for the others to see")
                    .isEqualTo("{\"seat\":\"bob\"}")
                    .isEqualTo(bobJoined.getJoined().getInfo().toStringUtf8());

            // Behind bob's own event on the room's Pub/Sub channel, had e2 not skipped its own.
            alice.publish(room, "marker");
            assertThat(bob.skipUntil(f -> f.hasMessage() || f.hasMemberJoined()).hasMessage())
                    .as("bob does not hear of his own join")
                    .isTrue();

            ServerFrame carolJoined = carol.join(room);
            MemberJoined heardOnE2 = bob.await(ServerFrame::hasMemberJoined).getMemberJoined();
            assertThat(heardOnE2.getUserId()).isEqualTo("carol");
            assertThat(heardOnE2.getMembers())
                    .as("the count the joiner got")
                    .isEqualTo(carolJoined.getJoined().getMembers());
            assertThat(alice.await(ServerFrame::hasMemberJoined)
                            .getMemberJoined()
                            .getUserId())
                    .isEqualTo("carol");

            awaitPresence(node2, room, 3); // e2 has read e1's two members
            bob.request(ClientFrame.newBuilder().setLeave(LeaveRoom.newBuilder().setRoom(room)));
            for (TestClient member : List.of(alice, carol)) {
                MemberLeft left = member.await(ServerFrame::hasMemberLeft).getMemberLeft();
                assertThat(left.getUserId()).isEqualTo("bob");
                assertThat(left.getMembers()).as("alice and carol on e1").isEqualTo(2);
            }
        }
    }

    @Test
    void aMassJoinOnAnotherNodeIsCappedForTheMembersHere() throws Exception {
        try (TestClient watcher = node1.connect("watcher")) {
            watcher.join("live.cluster.mass");
            assertThat(MassJoin.eventsHeard(watcher, "live.cluster.mass", node2))
                    .allSatisfy(joined -> assertThat(joined.getUserId()).startsWith("live.cluster.mass.joiner"));
        }
    }

    private static void awaitPresence(PushServerExtension node, String room, long members) throws InterruptedException {
        new AdminClient(node.adminUrl(), PushServerExtension.API_KEY)
                .awaitPresence(room, members, 0, TestClient.TIMEOUT);
    }
}
