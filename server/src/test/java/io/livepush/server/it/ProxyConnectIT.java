package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepush.codec.WebSocketSubprotocols;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Refresh;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.it.FakeBackend.Answer;
import io.livepush.server.proxy.ProxyConfig;
import io.livepush.server.proxy.ProxyHook;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connect and refresh hooks against a real HTTP backend. */
class ProxyConnectIT {
    /** Short, for the timeout test, yet above the first call of a cold HTTP client on a busy machine. */
    static final Duration TIMEOUT = Duration.ofMillis(500);

    @RegisterExtension
    @Order(1)
    static final FakeBackend backend = new FakeBackend();

    @RegisterExtension
    @Order(2)
    static final PushServerExtension server = new PushServerExtension(b -> b.proxy(new ProxyConfig(
            Map.of(ProxyHook.CONNECT, backend.url("connect"), ProxyHook.REFRESH, backend.url("refresh")),
            TIMEOUT,
            1000,
            List.of(ProxyConfig.Header.parse("Authorization: Bearer backend-secret")))));

    static {
        backend.on("connect", ProxyConnectIT::connectAnswer);
        backend.on("refresh", r -> switch (r.path("user").asText()) {
            case "refresh-ok", "asks-ok" -> Answer.json("{\"result\": {\"expire_at\": " + (nowS() + 3600) + "}}");
            case "asks-kick" -> Answer.json("{\"disconnect\": {\"reason\": \"signed out elsewhere\"}}");
            default -> Answer.json("{\"error\": {\"message\": \"session revoked\"}}");
        });
    }

    /** The backend decides by the token the client sent. */
    private static Answer connectAnswer(JsonNode r) {
        return switch (r.path("token").asText()) {
            case "cookie-alice" ->
                Answer.json("{\"result\": {\"user\": \"alice\", \"caps\": [{\"channels\": [\"open.*\"],"
                        + " \"allow\": [\"join\", \"publish\"]}]}}");
            case "cookie-banned" -> Answer.json("{\"error\": {\"code\": \"FORBIDDEN\", \"message\": \"banned\"}}");
            case "cookie-kick" -> Answer.json("{\"disconnect\": {\"reason\": \"go away\"}}");
            case "cookie-500" -> Answer.status(500);
            case "cookie-garbage" -> Answer.json("not json");
            case "cookie-slow" -> Answer.hang();
            case "asks-ok", "asks-no", "asks-kick" ->
                Answer.json("{\"result\": {\"user\": \"" + r.path("token").asText() + "\"}}");
            case "refresh-ok", "refresh-no" ->
                Answer.json("{\"result\": {\"user\": \"" + r.path("token").asText() + "\", \"expire_at\": "
                        + (nowS() + 2) + "}}");
            default -> Answer.json("{\"result\": {\"user\": \"anonymous\"}}");
        };
    }

    private static long nowS() {
        return System.currentTimeMillis() / 1000;
    }

    private static ServerFrame connectWith(TestClient c, String token) {
        return c.request(ClientFrame.newBuilder()
                .setConnect(Connect.newBuilder()
                        .setToken(token)
                        .setProtocolVersion(1)
                        .setClient("app/1.0")));
    }

    @Test
    void backendNamesTheUserAndItsCapsApply() throws Exception {
        backend.clear();
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            ServerFrame connected = connectWith(c, "cookie-alice");
            assertThat(connected.getConnected().getUserId()).isEqualTo("alice");
            JsonNode request = backend.next("connect");
            assertThat(request.path("token").asText()).isEqualTo("cookie-alice");
            assertThat(request.path("client").asText()).isEqualTo("app/1.0");
            assertThat(request.path("transport").asText()).isEqualTo("tcp");
            assertThat(request.path("remote_addr").asText()).startsWith("127.0.0.1:");
            assertThat(request.path("session_id").asText())
                    .isEqualTo(connected.getConnected().getSessionId());

            assertThat(c.join("open.lobby").hasJoined()).isTrue();
            assertThat(c.switchRoom("closed.vip").getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
        }
        assertThat(Samples.value(
                        server.server().metrics().scrape(),
                        "push_proxy_requests_total{hook=\"connect\",outcome=\"allowed\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void webSocketConnectPassesTheUpgradeRequestsHeaders() throws Exception {
        backend.clear();
        try (WsTestClient c =
                WsTestClient.open(server.webUrl(), WebSocketSubprotocols.PROTO, "http://127.0.0.1:1234")) {
            ServerFrame connected = c.request(ClientFrame.newBuilder()
                    .setConnect(Connect.newBuilder().setToken("cookie-alice").setProtocolVersion(1)));
            assertThat(connected.getConnected().getUserId()).isEqualTo("alice");
            JsonNode request = backend.next("connect");
            assertThat(request.path("transport").asText()).isEqualTo("websocket");
            assertThat(request.path("headers").path("origin").asText()).isEqualTo("http://127.0.0.1:1234");
        }
    }

    @Test
    void tokenOfThisServerNeedsNoBackend() throws Exception {
        backend.clear();
        try (TestClient c = server.connect("jwt-user")) {
            assertThat(c.join("any.room").hasJoined()).isTrue();
        }
        assertThat(backend.pending("connect")).isEmpty();
    }

    @Test
    void refusalClosesWithTheBackendsCodeAndReason() throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            ServerFrame refused = connectWith(c, "cookie-banned");
            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(refused.getError().getMessage()).isEqualTo("banned");
            assertThat(refused.getError().getFatal()).isTrue();
            c.awaitClosed();
        }
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            ServerFrame kicked = connectWith(c, "cookie-kick");
            assertThat(kicked.getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(kicked.getError().getMessage()).isEqualTo("go away");
            c.awaitClosed();
        }
    }

    @Test
    void failingBackendGivesUnavailable() throws Exception {
        for (String token : List.of("cookie-500", "cookie-garbage")) {
            try (TestClient c = TestClient.open(server.tcpAddress())) {
                ServerFrame failed = connectWith(c, token);
                assertThat(failed.getError().getCode()).as(token).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(failed.getError().getFatal()).isTrue();
                c.awaitClosed();
            }
        }
        assertThat(Samples.value(
                        server.server().metrics().scrape(),
                        "push_proxy_requests_total{hook=\"connect\",outcome=\"error\"}"))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void silentBackendGivesUnavailableWithinTheTimeout() throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            long start = System.nanoTime();
            ServerFrame failed = connectWith(c, "cookie-slow");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(failed.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(failed.getError().getMessage()).contains("did not answer within 500 ms");
            assertThat(took).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(TIMEOUT.multipliedBy(5));
        }
        assertThat(Samples.value(
                        server.server().metrics().scrape(),
                        "push_proxy_requests_total{hook=\"connect\",outcome=\"timeout\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void refreshExtendsTheSessionPastItsFirstExpiry() throws Exception {
        backend.clear();
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            assertThat(connectWith(c, "refresh-ok").getConnected().getUserId()).isEqualTo("refresh-ok");
            long firstExpiryMs = (nowS() + 2) * 1000;
            assertThat(backend.next("refresh").path("user").asText()).isEqualTo("refresh-ok");
            // Past the first expiry and one sweep of the deadlines: still open, and nothing was sent.
            assertThat(c.poll(Duration.ofMillis(firstExpiryMs + 1200 - System.currentTimeMillis())))
                    .isNull();
            assertThat(c.request(ClientFrame.newBuilder()
                                    .setPing(Ping.newBuilder().setNonce(7)))
                            .hasPong())
                    .isTrue();
        }
    }

    @Test
    void refusedRefreshClosesWithTokenExpired() throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            connectWith(c, "refresh-no");
            ServerFrame expired = c.await(ServerFrame::hasError);
            assertThat(expired.getError().getCode()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
            assertThat(expired.getError().getMessage()).contains("session revoked");
            c.awaitClosed();
        }
    }

    @Test
    void aRefreshWithoutTokenAsksTheBackendAtOnce() throws Exception {
        backend.clear();
        try (TestClient ok = TestClient.open(server.tcpAddress());
                TestClient no = TestClient.open(server.tcpAddress());
                TestClient kick = TestClient.open(server.tcpAddress())) {
            connectWith(ok, "asks-ok");
            ServerFrame refreshed = ok.request(refreshWithoutToken());
            assertThat(backend.next("refresh").path("user").asText()).isEqualTo("asks-ok");
            assertThat(refreshed.getRefreshed().getExpiresMs())
                    .as("the backend's expire_at, in ms")
                    .isBetween((nowS() + 3590) * 1000, (nowS() + 3600) * 1000);

            connectWith(no, "asks-no");
            ServerFrame refused = no.request(refreshWithoutToken());
            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(refused.getError().getMessage()).isEqualTo("session revoked");
            assertThat(refused.getError().getFatal())
                    .as("the session goes on to its expiry")
                    .isFalse();
            assertThat(no.request(ClientFrame.newBuilder()
                                    .setPing(Ping.newBuilder().setNonce(8)))
                            .hasPong())
                    .isTrue();

            connectWith(kick, "asks-kick");
            ServerFrame kicked = kick.request(refreshWithoutToken());
            assertThat(kicked.getError().getFatal()).isTrue();
            assertThat(kicked.getError().getMessage()).isEqualTo("signed out elsewhere");
            kick.awaitClosed();
        }
    }

    @Test
    void aClientAsksTheBackendOneAtATimeAndAtMostOnceASecond() throws Exception {
        backend.clear();
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            connectWith(c, "asks-ok");
            int first = c.send(refreshWithoutToken());
            int second = c.send(refreshWithoutToken());
            ServerFrame whileInFlight = c.await(f -> f.getReplyTo() == second);
            assertThat(whileInFlight.getError().getCode()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(whileInFlight.getError().getRetryAfterMs()).isBetween(1, 1000);
            assertThat(whileInFlight.getError().getFatal()).isFalse();
            assertThat(c.await(f -> f.getReplyTo() == first).hasRefreshed()).isTrue();

            ServerFrame tooSoon = c.request(refreshWithoutToken());
            assertThat(tooSoon.getError().getCode()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(tooSoon.getError().getRetryAfterMs()).isBetween(1, 1000);
            Thread.sleep(tooSoon.getError().getRetryAfterMs()); // as a client does: the wait is what is tested
            assertThat(c.request(refreshWithoutToken()).hasRefreshed()).isTrue();

            assertThat(backend.next("refresh").path("user").asText()).isEqualTo("asks-ok");
            assertThat(backend.next("refresh").path("user").asText()).isEqualTo("asks-ok");
            assertThat(backend.pending("refresh"))
                    .as("one backend call per refresh answered")
                    .isEmpty();
        }
    }

    @Test
    void aRefreshWithoutTokenFromASessionOfThisServerIsRefusedAsBefore() throws Exception {
        try (TestClient c = server.connect("own-token")) {
            ServerFrame refused = c.request(refreshWithoutToken());
            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(backend.pending("refresh")).isEmpty();
        }
    }

    private static ClientFrame.Builder refreshWithoutToken() {
        return ClientFrame.newBuilder().setRefresh(Refresh.getDefaultInstance());
    }
}
