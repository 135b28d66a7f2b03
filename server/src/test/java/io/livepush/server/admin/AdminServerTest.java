package io.livepush.server.admin;

import static io.livepush.server.admin.AdminServerExtension.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.server.channel.ChannelInfo;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminServerTest {
    @RegisterExtension
    final AdminServerExtension server = new AdminServerExtension();

    @Test
    void apiCallsWithoutTheRightKeyAre401() {
        HttpResponse<String> missing = server.send(HttpRequest.newBuilder(
                        server.request("/api/v1/channels/lobby").build().uri())
                .GET());
        HttpResponse<String> wrong = server.send(server.request("/api/v1/channels/lobby")
                .setHeader("Authorization", "Bearer test-api-kez")
                .GET());
        HttpResponse<String> wrongScheme = server.send(server.request("/api/v1/channels/lobby")
                .setHeader("Authorization", "Basic " + AdminServerExtension.API_KEY)
                .GET());

        for (HttpResponse<String> response : List.of(missing, wrong, wrongScheme)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer");
            assertThat(json(response).get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
        }
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405() {
        HttpResponse<String> unknown = server.get("/api/v1/nothing");
        HttpResponse<String> wrongMethod =
                server.send(server.request("/api/v1/channels/lobby").DELETE());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");
        assertThat(json(wrongMethod).get("error").get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void appletPutTakesTextOrBase64AndAnswersTheVersion() {
        HttpResponse<String> text = server.send(server.request("/api/v1/rooms/lobby/applets/vote")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\",\"expected_version\":4}")));
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body()).isEqualTo("{\"room\":\"lobby\",\"applet_id\":\"vote\",\"version\":5}");
        assertThat(server.backend().lastApplet.getContent().toStringUtf8()).isEqualTo("x");

        HttpResponse<String> base64 = server.send(server.request("/api/v1/rooms/lobby/applets/wheel")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"content\":\"AQID\"}")));
        assertThat(base64.statusCode()).isEqualTo(200);
        assertThat(server.backend().lastApplet.getContent().toByteArray()).containsExactly(1, 2, 3);
    }

    @Test
    void appletPutRefusesBadInput() {
        for (String[] bad : new String[][] {
            {"/api/v1/rooms/lobby/applets/a%2Fb", "{\"text\":\"x\"}"},
            {"/api/v1/rooms/bad%20room/applets/vote", "{\"text\":\"x\"}"},
            {"/api/v1/rooms/lobby/applets/vote", "{}"},
            {"/api/v1/rooms/lobby/applets/vote", "{\"text\":\"x\",\"content\":\"AQID\"}"},
            {"/api/v1/rooms/lobby/applets/vote", "{\"content\":\"not base64!\"}"},
            {"/api/v1/rooms/lobby/applets/vote", "{\"text\":\"x\",\"expected_version\":-1}"}
        }) {
            HttpResponse<String> response =
                    server.send(server.request(bad[0]).PUT(HttpRequest.BodyPublishers.ofString(bad[1])));
            assertThat(response.statusCode()).as("%s %s", bad[0], bad[1]).isEqualTo(400);
            assertThat(json(response).get("error").get("code").asText()).isEqualTo("BAD_REQUEST");
        }
        HttpResponse<String> tooBig = server.send(server.request("/api/v1/rooms/lobby/applets/vote")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + "x".repeat(32 * 1024 + 1) + "\"}")));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(json(tooBig).get("error").get("code").asText()).isEqualTo("LIMIT_EXCEEDED");
    }

    @Test
    void appletConflictIs409() {
        server.backend().appletFailure = new AdminException(409, "VERSION_CONFLICT", "at version 3, not 2");

        HttpResponse<String> response = server.send(server.request("/api/v1/rooms/lobby/applets/vote")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\",\"expected_version\":2}")));

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").get("code").asText()).isEqualTo("VERSION_CONFLICT");
    }

    @Test
    void appletListCarriesBase64Content() {
        server.backend().applets = List.of(AppletState.newBuilder()
                .setRoom("lobby")
                .setAppletId("vote")
                .setVersion(7)
                .setUpdatedMs(1234)
                .setContent(ByteString.copyFrom(new byte[] {1, 2, 3}))
                .build());

        HttpResponse<String> response = server.get("/api/v1/rooms/lobby/applets");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"room\":\"lobby\",\"applets\":[{\"applet_id\":\"vote\","
                        + "\"version\":7,\"content\":\"AQID\",\"updated_ms\":1234}]}");
    }

    @Test
    void disconnectAnswersHowManyWereClosed() {
        server.backend().closedPerDisconnect = 3;

        HttpResponse<String> withReason = server.post("/api/v1/users/u%201/disconnect", "{\"reason\":\"banned\"}");
        assertThat(withReason.statusCode()).isEqualTo(200);
        assertThat(withReason.body()).startsWith("{\"closed\":3,\"user\":\"u 1\"");
        assertThat(server.backend().lastDisconnect).isEqualTo("u 1 reason=banned ban=0");

        HttpResponse<String> banned = server.post("/api/v1/users/u3/disconnect", "{\"ban_s\":600}");
        assertThat(banned.statusCode()).isEqualTo(200);
        assertThat(server.backend().lastDisconnect).isEqualTo("u3 reason= ban=600");
        assertThat(server.post("/api/v1/users/u3/disconnect", "{\"ban_s\":-1}").statusCode())
                .isEqualTo(400);
        assertThat(server.post(
                                "/api/v1/users/u3/revoke",
                                "{\"issued_before_ms\":" + (System.currentTimeMillis() + 60_000) + "}")
                        .statusCode())
                .as("a revocation in the future is a ban in disguise")
                .isEqualTo(400);

        HttpResponse<String> withoutBody =
                server.send(server.request("/api/v1/users/u2/disconnect").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(withoutBody.statusCode()).isEqualTo(200);
        assertThat(server.backend().lastDisconnect).isEqualTo("u2 reason= ban=0");
    }

    @Test
    void metricsNeedNoKeyAndArePrometheusText() {
        server.metrics().published();

        HttpResponse<String> response = server.send(
                HttpRequest.newBuilder(server.request("/metrics").build().uri()).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("push_messages_published_total 1.0", "push_connections{transport=");
    }

    @Test
    void readinessFollowsTheBackendAndLivenessIsAlwaysUp() {
        HttpResponse<String> notReady = server.get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("{\"status\":\"DOWN\"}");

        server.backend().ready = true;
        HttpResponse<String> ready = server.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");

        HttpResponse<String> live = server.get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void bodyOverTheCapIs413BeforeItArrives() {
        String reply = server.raw(
                "POST /api/v1/channels/c/messages HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + AdminServerExtension.API_KEY + "\r\n"
                        + "Content-Length: " + (AdminServer.MAX_BODY_BYTES + 1) + "\r\n\r\n",
                text -> false);

        assertThat(reply)
                .startsWith("HTTP/1.1 413 ")
                .contains("\"code\":\"PAYLOAD_TOO_LARGE\"")
                .endsWith("<EOF>");
    }

    @Test
    void aRequestWithoutTheKeyIs401BeforeItsBodyArrives() {
        String reply = server.raw(
                "POST /api/v1/channels/c/messages HTTP/1.1\r\nHost: x\r\n" + "Content-Length: 1000\r\n\r\n{\"kind\":",
                text -> false); // the rest never comes

        assertThat(reply)
                .startsWith("HTTP/1.1 401 ")
                .contains("\"code\":\"UNAUTHORIZED\"")
                .endsWith("<EOF>");
    }

    @Test
    void anEscapedApiPathNeedsTheKeyToo() {
        String reply = server.raw("GET /%61pi/v1/channels/c HTTP/1.1\r\nHost: x\r\n\r\n", text -> false);

        assertThat(reply).startsWith("HTTP/1.1 401 ");
    }

    @Test
    void pipelinedAnswersKeepRequestOrder() {
        CompletableFuture<Optional<ChannelInfo>> slow = new CompletableFuture<>();
        server.backend().pendingInfo = slow;
        String auth = "Authorization: Bearer " + AdminServerExtension.API_KEY + "\r\n";
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)
                .execute(() -> slow.complete(Optional.of(new ChannelInfo("slow", "e", 1, 1, 0, 0))));

        String reply = server.raw(
                "GET /api/v1/channels/slow HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"
                        + "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n",
                text -> text.contains("{\"status\":\"UP\"}"));

        assertThat(reply.indexOf("\"channel\":\"slow\"")).isPositive().isLessThan(reply.indexOf("\"status\":\"UP\""));
        assertThat(reply).doesNotContain("<EOF>");
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheAnswer() {
        String reply = server.raw("GET /health/live HTTP/1.0\r\n\r\n", text -> false);

        assertThat(reply)
                .startsWith("HTTP/1.0 200 ")
                .contains("content-length: 15")
                .endsWith("{\"status\":\"UP\"}<EOF>");
    }

    @Test
    void malformedHttpIs400AndCloses() {
        String reply =
                server.raw("GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n", text -> false);

        assertThat(reply)
                .startsWith("HTTP/1.1 400 ")
                .contains("\"code\":\"BAD_REQUEST\"")
                .endsWith("<EOF>");
    }
}
