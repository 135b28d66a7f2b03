package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribe;
import io.livepush.server.auth.Operation;
import io.livepush.server.config.Namespace;
import io.livepush.server.it.FakeBackend.Answer;
import io.livepush.server.proxy.ProxyConfig;
import io.livepush.server.proxy.ProxyHook;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The join (and switch) and subscribe hooks against a real HTTP backend: the backend decides, not the caps. */
class ProxyChannelsIT {
    /** Generous: the first call of a cold HTTP client on a busy machine takes a few hundred ms. */
    static final Duration TIMEOUT = Duration.ofMillis(1000);

    @RegisterExtension
    @Order(1)
    static final FakeBackend backend = new FakeBackend();

    @RegisterExtension
    @Order(2)
    static final PushServerExtension server = new PushServerExtension(b -> b.proxy(new ProxyConfig(
                    Map.of(ProxyHook.JOIN, backend.url("join"), ProxyHook.SUBSCRIBE, backend.url("subscribe")),
                    TIMEOUT,
                    1000,
                    List.of()))
            .namespaces(List.of(
                    new Namespace("vip.open.", 100, 3600, true, true, 65536, false, Set.of()),
                    new Namespace("vip.door.", 100, 3600, true, true, 65536, false, Set.of(ProxyHook.JOIN)))));

    static {
        backend.on("join", ProxyChannelsIT::decide);
        backend.on("subscribe", ProxyChannelsIT::decide);
    }

    /** The backend decides by the channel's name. */
    private static Answer decide(JsonNode r) {
        String channel = r.path("channel").asText();
        if (channel.startsWith("vip.")) {
            return Answer.json("{\"error\": {\"message\": \"members only\"}}");
        }
        if (channel.startsWith("slow.")) {
            return Answer.hang();
        }
        if (channel.startsWith("broken.")) {
            return Answer.status(503);
        }
        if (channel.startsWith("info.")) {
            return Answer.json("{\"result\": {\"info\": {\"role\": \"host\", \"seat\": 3}}}");
        }
        return Answer.json("{\"result\": {}}");
    }

    @Test
    void backendAllowsJoinAndGetsTheRequest() throws Exception {
        backend.clear();
        try (TestClient c = server.connect("j1")) {
            ServerFrame joined = c.join("open.j1");
            assertThat(joined.getJoined().getRoom()).isEqualTo("open.j1");
            assertThat(joined.getJoined().getInfo().isEmpty()).isTrue();
            JsonNode request = backend.next("join");
            assertThat(request.path("user").asText()).isEqualTo("j1");
            assertThat(request.path("channel").asText()).isEqualTo("open.j1");
            assertThat(request.path("previous").asText()).isEmpty();
        }
    }

    @Test
    void refusedJoinIsForbiddenWithTheBackendsReason() throws Exception {
        try (TestClient c = server.connect("j2")) {
            ServerFrame refused = c.join("vip.lounge");
            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(refused.getError().getMessage()).isEqualTo("members only");
            assertThat(refused.getError().getFatal()).isFalse();
        }
    }

    @Test
    void refusedSwitchLeavesTheClientInTheOldRoom() throws Exception {
        backend.clear();
        try (TestClient a = server.connect("j3");
                TestClient pub = server.connect("p3")) {
            assertThat(a.join("open.j3").hasJoined()).isTrue();
            ServerFrame refused = a.switchRoom("vip.j3");
            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(backend.next("join", "vip.j3").path("previous").asText()).isEqualTo("open.j3");

            pub.publish("open.j3", "still here");
            assertThat(a.messages("open.j3", 1).get(0).getPayload().toStringUtf8())
                    .isEqualTo("still here");
            ServerFrame moved = a.switchRoom("open.j3b");
            assertThat(moved.getJoined().getPrevious()).isEqualTo("open.j3");
        }
    }

    @Test
    void backendDecidesInsteadOfTheCapsAndAChannelTokenStillGrants() throws Exception {
        backend.clear();
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            c.connect(server.token("j4", Duration.ofHours(1), List.of())); // no caps at all
            assertThat(c.join("open.j4").hasJoined()).isTrue();
            backend.next("join");
            ServerFrame granted = c.request(ClientFrame.newBuilder()
                    .setSubscribe(Subscribe.newBuilder()
                            .setChannel("vip.j4")
                            .setToken(server.channelToken("j4", "vip.j4", Set.of(Operation.SUBSCRIBE)))));
            assertThat(granted.hasSubscribed()).isTrue();
            assertThat(backend.pending("subscribe")).isEmpty();
        }
    }

    @Test
    void aNamespaceNarrowsTheHooksAndTheCapsDecideTheRest() throws Exception {
        backend.clear();
        try (TestClient c = server.connect("j5")) {
            assertThat(c.join("vip.open.j5").hasJoined())
                    .as("the backend refuses vip.*, but no hook applies here")
                    .isTrue();
            assertThat(c.subscribe("vip.open.s5").hasSubscribed()).isTrue();
            assertThat(c.subscribe("vip.door.s5").hasSubscribed())
                    .as("only the join hook applies here")
                    .isTrue();
            assertThat(backend.pending("join")).isEmpty();
            assertThat(backend.pending("subscribe")).isEmpty();
            assertThat(c.switchRoom("vip.door.j5").getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(backend.next("join").path("channel").asText()).isEqualTo("vip.door.j5");
        }
    }

    @Test
    void subscribeAllowedWithInfoReturnsIt() throws Exception {
        try (TestClient c = server.connect("s1")) {
            ServerFrame subscribed = c.subscribe("info.s1");
            assertThat(subscribed.getSubscribed().getInfo().toStringUtf8()).isEqualTo("{\"role\":\"host\",\"seat\":3}");
            ServerFrame joined = c.join("info.room");
            assertThat(joined.getJoined().getInfo().toStringUtf8()).isEqualTo("{\"role\":\"host\",\"seat\":3}");
            ServerFrame refused = c.subscribe("vip.s1");
            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
        }
    }

    @Test
    void slowOrFailingBackendGivesUnavailableAndTheConnectionLives() throws Exception {
        try (TestClient c = server.connect("s2")) {
            long start = System.nanoTime();
            ServerFrame slow = c.subscribe("slow.s2");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(5));
            assertThat(slow.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(slow.getError().getFatal()).isFalse();
            ServerFrame broken = c.join("broken.s2");
            assertThat(broken.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(broken.getError().getMessage()).contains("HTTP 503");
            assertThat(c.join("open.s2").hasJoined()).isTrue();
        }
    }

    @Test
    void pipelinedJoinsLeaveExactlyOneRoom() throws Exception {
        try (TestClient c = server.connect("s3")) {
            int first = c.send(ClientFrame.newBuilder()
                    .setJoin(io.livepush.proto.v1.JoinRoom.newBuilder().setRoom("open.s3a")));
            int second = c.send(ClientFrame.newBuilder()
                    .setJoin(io.livepush.proto.v1.JoinRoom.newBuilder().setRoom("open.s3b")));
            ServerFrame a = c.await(f -> f.getReplyTo() == first);
            ServerFrame b = c.await(f -> f.getReplyTo() == second);
            assertThat(List.of(a.hasJoined(), b.hasJoined())).containsExactlyInAnyOrder(true, false);
            ServerFrame loser = a.hasJoined() ? b : a;
            assertThat(loser.getError().getMessage()).contains("use switch_room");
        }
    }
}
