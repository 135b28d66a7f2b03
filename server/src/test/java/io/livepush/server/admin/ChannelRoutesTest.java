package io.livepush.server.admin;

import static io.livepush.server.admin.AdminServerExtension.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.server.channel.ChannelInfo;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChannelRoutesTest {
    @RegisterExtension
    final AdminServerExtension server = new AdminServerExtension();

    @Test
    void publishWithBase64PayloadAnswersThePosition() {
        HttpResponse<String> response = server.post(
                "/api/v1/channels/room.1/messages",
                "{\"kind\":\"chat\",\"payload\":\"aGk=\",\"idempotency_key\":\"k1\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(body.properties()).extracting(e -> e.getKey()).containsExactly("channel", "epoch", "seq");
        assertThat(body.get("channel").asText()).isEqualTo("room.1");
        assertThat(body.get("epoch").asText()).isEqualTo("e1");
        assertThat(body.get("seq").isIntegralNumber()).isTrue();
        assertThat(body.get("seq").asLong()).isEqualTo(42);
        assertThat(server.backend().lastPublished)
                .isEqualTo(new FakeAdminBackend.Published("room.1", "chat", ByteString.copyFromUtf8("hi"), "k1"));
    }

    @Test
    void publishWithTextSendsUtf8BytesAndNoIdempotencyKey() {
        HttpResponse<String> response =
                server.post("/api/v1/channels/user.7/messages", "{\"kind\":\"note\",\"text\":\"h\u00e9llo\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.backend().lastPublished)
                .isEqualTo(new FakeAdminBackend.Published(
                        "user.7", "note", ByteString.copyFrom("h\u00e9llo", StandardCharsets.UTF_8), ""));
    }

    @Test
    void publishRejectsMalformedBodies() {
        assertBadRequest(server.post("/api/v1/channels/c/messages", "{\"kind\":"));
        assertBadRequest(server.post("/api/v1/channels/c/messages", "[1]"));
        assertBadRequest(server.post("/api/v1/channels/c/messages", "{\"kind\":\"chat\",\"payload\":\"not base64!\"}"));
        assertBadRequest(server.post("/api/v1/channels/c/messages", "{\"kind\":\"chat\"}"));
        assertBadRequest(
                server.post("/api/v1/channels/c/messages", "{\"kind\":\"chat\",\"text\":\"a\",\"payload\":\"YQ==\"}"));
        assertBadRequest(server.post("/api/v1/channels/c/messages", "{\"text\":\"a\"}"));
        assertBadRequest(server.post("/api/v1/channels/c/messages", "{\"kind\":7,\"text\":\"a\"}"));
        assertThat(server.backend().lastPublished).isNull();
    }

    @Test
    void invalidChannelNamesAreBadRequests() {
        String body = "{\"kind\":\"chat\",\"text\":\"a\"}";
        assertBadRequest(server.post("/api/v1/channels/bad%20name/messages", body));
        assertBadRequest(server.post("/api/v1/channels/" + "a".repeat(129) + "/messages", body));
        assertBadRequest(server.get("/api/v1/channels/caf%C3%A9"));
        assertBadRequest(server.get("/api/v1/channels/a%2Fb/messages"));
        assertThat(server.backend().lastPublished).isNull();
        assertThat(server.post("/api/v1/channels/" + "a".repeat(128) + "/messages", body)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void backendRefusalKeepsItsStatusAndCode() {
        server.backend().publishFailure = new AdminException(429, "RATE_LIMITED", "slow down", 1);

        HttpResponse<String> response =
                server.post("/api/v1/channels/c/messages", "{\"kind\":\"chat\",\"text\":\"a\"}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(response).get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(json(response).get("error").get("message").asText()).isEqualTo("slow down");
    }

    @Test
    void unexpectedFailureIsAGeneric500() {
        server.backend().publishFailure = new IllegalStateException("secret detail");

        HttpResponse<String> response =
                server.post("/api/v1/channels/c/messages", "{\"kind\":\"chat\",\"text\":\"a\"}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).get("error").get("code").asText()).isEqualTo("INTERNAL");
        assertThat(response.body()).doesNotContain("secret detail").doesNotContain("Exception");
    }

    @Test
    void channelInfoAnswersEveryField() {
        server.backend().channels.put("lobby", new ChannelInfo("lobby", "e9", 3, 17, 5, 2));

        HttpResponse<String> response = server.get("/api/v1/channels/lobby");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.properties())
                .extracting(e -> e.getKey())
                .containsExactly("channel", "epoch", "first_seq", "last_seq", "members", "subscribers");
        assertThat(body.toString())
                .isEqualTo(
                        "{\"channel\":\"lobby\",\"epoch\":\"e9\",\"first_seq\":3,\"last_seq\":17,\"members\":5,\"subscribers\":2}");
    }

    @Test
    void unknownChannelIs404() {
        HttpResponse<String> response = server.get("/api/v1/channels/nobody.here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").get("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void historyAnswersMessagesWithBase64PayloadsAndDefaults() {
        server.backend().history = HistoryResult.newBuilder()
                .setChannel("lobby")
                .setEpoch("e2")
                .setFirstSeq(4)
                .setLastSeq(5)
                .setTruncated(true)
                .addMessages(Message.newBuilder()
                        .setChannel("lobby")
                        .setEpoch("e2")
                        .setSeq(4)
                        .setKind("chat")
                        .setPayload(ByteString.copyFromUtf8("hi"))
                        .setPublisher("u1")
                        .setTimestampMs(1000))
                .addMessages(Message.newBuilder()
                        .setChannel("lobby")
                        .setEpoch("e2")
                        .setSeq(5)
                        .setKind("sys")
                        .setTimestampMs(2000))
                .build();

        HttpResponse<String> response = server.get("/api/v1/channels/lobby/messages");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.backend().lastHistory).isEqualTo("lobby since=0 limit=100");
        assertThat(response.body())
                .isEqualTo("{\"channel\":\"lobby\",\"epoch\":\"e2\",\"first_seq\":4,\"last_seq\":5,"
                        + "\"truncated\":true,\"messages\":["
                        + "{\"seq\":4,\"kind\":\"chat\",\"payload\":\"aGk=\",\"publisher\":\"u1\",\"timestamp_ms\":1000},"
                        + "{\"seq\":5,\"kind\":\"sys\",\"payload\":\"\",\"publisher\":\"\",\"timestamp_ms\":2000}]}");
    }

    @Test
    void historyPassesItsQueryAndRejectsBadNumbers() {
        assertThat(server.get("/api/v1/channels/lobby/messages?since_seq=5&limit=10")
                        .statusCode())
                .isEqualTo(200);
        assertThat(server.backend().lastHistory).isEqualTo("lobby since=5 limit=10");

        assertBadRequest(server.get("/api/v1/channels/lobby/messages?since_seq=-1"));
        assertBadRequest(server.get("/api/v1/channels/lobby/messages?limit=0"));
        assertBadRequest(server.get("/api/v1/channels/lobby/messages?limit=ten"));
    }

    @Test
    void onlyStrictJsonBodiesAreTaken() {
        assertBadRequest(
                server.post("/api/v1/channels/lobby/messages", "{\"kind\": \"chat\", \"text\": \"hi\"} trailing"));
        assertBadRequest(server.post("/api/v1/channels/lobby/messages", "{\"kind\": \"chat\"}{\"kind\": \"x\"}"));
        assertBadRequest(server.post("/api/v1/channels/lobby/messages", "{'kind': 'chat'}"));
        assertBadRequest(server.post("/api/v1/channels/lobby/messages", "{\"kind\": \"chat\" /* c */}"));
        assertThat(server.post("/api/v1/channels/lobby/messages", "{\"kind\": \"chat\", \"text\": \"hi\"}\n")
                        .statusCode())
                .isEqualTo(200);
    }

    private static void assertBadRequest(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(error.get("message").asText()).isNotEmpty();
    }
}
