package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin HTTP API of PROTOCOL.md against a real server, over real HTTP and real client sockets. */
class AdminApiIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    private AdminClient api;

    @BeforeEach
    void setUp() {
        api = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
    }

    @Test
    void apiPublishReachesRoomMembersWithEmptyPublisherAndTheAnsweredSeq() throws Exception {
        try (TestClient member = server.connect("member1")) {
            String epoch = member.join("api.pub").getJoined().getEpoch();

            JsonNode text =
                    publish("api.pub", AdminClient.object().put("kind", "chat").put("text", "hello"));
            assertThat(text.get("channel").asText()).isEqualTo("api.pub");
            assertThat(text.get("epoch").asText()).isEqualTo(epoch);
            assertThat(text.get("seq").isIntegralNumber())
                    .as("seq is a JSON number")
                    .isTrue();
            Message first = member.messages("api.pub", 1).get(0);
            assertThat(first.getSeq()).isEqualTo(text.get("seq").asLong());
            assertThat(first.getEpoch()).isEqualTo(epoch);
            assertThat(first.getKind()).isEqualTo("chat");
            assertThat(first.getPayload().toStringUtf8()).isEqualTo("hello");
            assertThat(first.getPublisher())
                    .as("the server API publishes as nobody")
                    .isEmpty();

            byte[] binary = {0, 1, (byte) 0x80, (byte) 0xff, 42};
            JsonNode raw = publish(
                    "api.pub",
                    AdminClient.object()
                            .put("kind", "gift")
                            .put("payload", Base64.getEncoder().encodeToString(binary)));
            assertThat(raw.get("seq").asLong()).isEqualTo(text.get("seq").asLong() + 1);
            Message second = member.messages("api.pub", 1).get(0);
            assertThat(second.getSeq()).isEqualTo(raw.get("seq").asLong());
            assertThat(second.getKind()).isEqualTo("gift");
            assertThat(second.getPayload().toByteArray()).isEqualTo(binary);
            assertThat(second.getPublisher()).isEmpty();
        }
    }

    @Test
    void apiPublishRepeatingAnIdempotencyKeyAnswersTheFirstSeqAndStoresOnce() {
        ObjectNode body =
                AdminClient.object().put("kind", "order").put("text", "paid").put("idempotency_key", "order-77");
        JsonNode first = publish("api.idem", body);
        JsonNode retry = publish("api.idem", body);
        assertThat(retry).isEqualTo(first);
        assertThat(channelInfo("api.idem").get("last_seq").asLong())
                .isEqualTo(first.get("seq").asLong());
        JsonNode next =
                publish("api.idem", AdminClient.object().put("kind", "order").put("text", "shipped"));
        assertThat(next.get("seq").asLong()).isEqualTo(first.get("seq").asLong() + 1);
    }

    @Test
    void channelInfoShowsPositionAndPresenceCountsOfConnectedClients() throws Exception {
        try (TestClient a = server.connect("info-a");
                TestClient b = server.connect("info-b");
                TestClient follower = server.connect("info-c")) {
            String epoch = a.join("api.info").getJoined().getEpoch();
            b.join("api.info");
            assertThat(follower.subscribe("api.info").hasSubscribed()).isTrue();
            for (int i = 1; i <= 3; i++) {
                a.publish("api.info", "m" + i);
            }

            JsonNode info = channelInfo("api.info");
            assertThat(info.get("channel").asText()).isEqualTo("api.info");
            assertThat(info.get("epoch").asText()).isEqualTo(epoch);
            assertThat(info.get("first_seq").asLong()).isEqualTo(1);
            assertThat(info.get("last_seq").asLong()).isEqualTo(3);
            assertThat(info.get("members").asInt()).as("room members").isEqualTo(2);
            assertThat(info.get("subscribers").asInt())
                    .as("subscribers are not members")
                    .isEqualTo(1);
        }
        assertThat(api.get("/api/v1/channels/api.never-used").status()).isEqualTo(404);
    }

    @Test
    void historyReturnsTheAskedSliceWithBase64Payloads() {
        for (int i = 1; i <= 10; i++) {
            publish("api.hist", AdminClient.object().put("kind", "chat").put("text", "h" + i));
        }
        AdminClient.Reply reply = api.get("/api/v1/channels/api.hist/messages?since_seq=3&limit=4");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode page = reply.json();
        assertThat(page.get("channel").asText()).isEqualTo("api.hist");
        assertThat(page.get("epoch").asText())
                .isEqualTo(channelInfo("api.hist").get("epoch").asText());
        assertThat(page.get("first_seq").asLong()).isEqualTo(1);
        assertThat(page.get("last_seq").asLong()).isEqualTo(10);
        assertThat(page.get("truncated").asBoolean()).isFalse();
        List<Long> seqs = new ArrayList<>();
        for (JsonNode m : page.get("messages")) {
            seqs.add(m.get("seq").asLong());
            String text = new String(Base64.getDecoder().decode(m.get("payload").asText()), StandardCharsets.UTF_8);
            assertThat(text).isEqualTo("h" + m.get("seq").asLong());
            assertThat(m.get("kind").asText()).isEqualTo("chat");
            assertThat(m.get("publisher").asText()).isEmpty();
            assertThat(m.get("timestamp_ms").asLong()).isPositive();
        }
        assertThat(seqs).containsExactly(4L, 5L, 6L, 7L);

        JsonNode tail =
                api.get("/api/v1/channels/api.hist/messages?since_seq=8").json();
        assertThat(tail.get("messages")).extracting(m -> m.get("seq").asLong()).containsExactly(9L, 10L);
    }

    @Test
    void disconnectClosesEveryConnectionOfTheUserWithGoAway() throws Exception {
        try (TestClient phone = server.connect("dora");
                TestClient laptop = server.connect("dora");
                TestClient bystander = server.connect("eddie")) {
            AdminClient.Reply reply = api.post(
                    "/api/v1/users/dora/disconnect", AdminClient.object().put("reason", "account suspended"));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("closed").asInt()).isEqualTo(2);
            for (TestClient c : List.of(phone, laptop)) {
                ServerFrame goAway = c.await(ServerFrame::hasGoAway);
                assertThat(goAway.getGoAway().getReason()).isEqualTo("account suspended");
                c.awaitClosed();
            }
            ServerFrame pong = bystander.request(
                    ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(5)));
            assertThat(pong.getPong().getNonce())
                    .as("other users keep their connections")
                    .isEqualTo(5);
        }
        AdminClient.Reply nobody = api.post("/api/v1/users/nobody-here/disconnect", AdminClient.object());
        assertThat(nobody.json().get("closed").asInt()).isZero();
    }

    @Test
    void mintedConnectionTokenConnectsAndItsCapsAreEnforced() throws Exception {
        ObjectNode request = AdminClient.object().put("sub", "shopper").put("ttl_s", 600);
        ObjectNode cap = request.putArray("caps").addObject();
        cap.putArray("channels").add("shop.*");
        cap.putArray("allow").add("join").add("publish");
        String token = token(request);

        try (TestClient c = TestClient.open(server.tcpAddress())) {
            assertThat(c.connect(token).getConnected().getUserId()).isEqualTo("shopper");
            assertThat(c.join("shop.lobby").hasJoined()).isTrue();
            assertThat(c.publish("shop.lobby", "hi").getPublished().getSeq()).isEqualTo(1);
            assertThat(c.subscribe("bank.vault").getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(c.publish("bank.vault", "x").getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            ServerFrame history = c.request(
                    ClientFrame.newBuilder().setHistory(History.newBuilder().setChannel("shop.lobby")));
            assertThat(history.getError().getCode())
                    .as("history is not in allow")
                    .isEqualTo(ErrorCode.FORBIDDEN);
        }
    }

    @Test
    void shareTokenMaySubscribeButNotPublish() throws Exception {
        String connection = token(AdminClient.object().put("sub", "viewer"));
        ObjectNode shareRequest =
                AdminClient.object().put("sub", "viewer").put("ttl_s", 600).put("channel", "live.show");
        shareRequest.putArray("allow").add("subscribe").add("history");
        String share = token(shareRequest);

        try (TestClient viewer = TestClient.open(server.tcpAddress())) {
            viewer.connect(connection);
            assertThat(viewer.subscribe("live.show").getError().getCode())
                    .as("no cap without the share token")
                    .isEqualTo(ErrorCode.FORBIDDEN);
            ServerFrame subscribed = viewer.request(ClientFrame.newBuilder()
                    .setSubscribe(Subscribe.newBuilder().setChannel("live.show").setToken(share)));
            assertThat(subscribed.hasSubscribed()).as("%s", subscribed).isTrue();
            ServerFrame joined = viewer.request(ClientFrame.newBuilder()
                    .setJoin(JoinRoom.newBuilder().setRoom("live.show").setToken(share)));
            assertThat(joined.getError().getCode()).as("join is not in allow").isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(viewer.publish("live.show", "spam").getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);

            JsonNode ack = publish(
                    "live.show", AdminClient.object().put("kind", "scene").put("text", "act 1"));
            Message m = viewer.messages("live.show", 1).get(0);
            assertThat(m.getSeq()).isEqualTo(ack.get("seq").asLong());
            assertThat(m.getPayload().toStringUtf8()).isEqualTo("act 1");
        }
    }

    @Test
    void apiCallsWithoutTheRightKeyAre401() {
        ObjectNode body = AdminClient.object().put("kind", "chat").put("text", "sneaky");
        for (String key : new String[] {null, "wrong-key", PushServerExtension.API_KEY + "x", ""}) {
            AdminClient.Reply reply = api.post("/api/v1/channels/api.auth/messages", body, key);
            assertThat(reply.status()).as("key %s", key).isEqualTo(401);
            assertThat(reply.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
        }
        assertThat(api.getWithKey("/api/v1/channels/api.auth", "wrong-key").status())
                .isEqualTo(401);
        assertThat(api.get("/api/v1/channels/api.auth").status())
                .as("nothing was published")
                .isEqualTo(404);
    }

    @Test
    void metricsAfterTrafficExposeServerJvmAndNettyMeters() throws Exception {
        try (TestClient a = server.connect("metrics-a");
                TestClient b = server.connect("metrics-b")) {
            a.join("api.metrics");
            b.join("api.metrics");
            a.publish("api.metrics", "one");
            publish("api.metrics", AdminClient.object().put("kind", "chat").put("text", "two"));
            b.messages("api.metrics", 2);
            assertThat(a.subscribe("bad name!").getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);

            AdminClient.Reply reply = api.getWithKey("/metrics", null);
            assertThat(reply.status()).isEqualTo(200);
            String text = reply.body();
            assertThat(Samples.value(text, "push_connections")).isGreaterThanOrEqualTo(2);
            assertThat(Samples.value(text, "push_messages_published_total")).isGreaterThanOrEqualTo(2);
            assertThat(Samples.value(text, "push_messages_delivered_total")).isGreaterThanOrEqualTo(4);
            assertThat(Samples.value(text, "push_errors_total{code=\"BAD_REQUEST\"}"))
                    .isGreaterThanOrEqualTo(1);
            if (!EngineUnderTest.redis()) {
                assertThat(Samples.value(text, "push_store_entries{store=\"messages\"}"))
                        .isGreaterThanOrEqualTo(2);
            }
            assertThat(text).contains("jvm_memory_used_bytes").contains("netty_allocator_");
        }
    }

    @Test
    void healthProbesAnswer200() {
        for (String path : List.of("/health/live", "/health/ready")) {
            AdminClient.Reply reply = api.getWithKey(path, null);
            assertThat(reply.status()).as(path).isEqualTo(200);
            assertThat(reply.json().get("status").asText()).isEqualTo("UP");
        }
    }

    private JsonNode publish(String channel, JsonNode body) {
        AdminClient.Reply reply = api.post("/api/v1/channels/" + channel + "/messages", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private JsonNode channelInfo(String channel) {
        AdminClient.Reply reply = api.get("/api/v1/channels/" + channel);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private String token(JsonNode request) {
        AdminClient.Reply reply = api.post("/api/v1/tokens", request);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("token").asText();
    }
}
