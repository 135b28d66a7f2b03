package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Disconnect with a ban refuses the user's new connections on every transport, and a revocation
 * refuses their tokens issued before a time; both outlive a restart (issue 11).
 */
class BanIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    private AdminClient api;

    @BeforeEach
    void api() {
        api = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
    }

    @Test
    void aBanRefusesNewConnectionsOnEveryTransportUntilLifted() throws Exception {
        try (TestClient tcp = server.connect("mallory");
                TestClient bystander = server.connect("alice")) {
            WsTestClient ws = WsTestClient.open(server.webUrl(), "push.v1.proto");
            assertThat(ws.request(connect("mallory")).hasConnected()).isTrue();

            JsonNode banned = api.post(
                            "/api/v1/users/mallory/disconnect",
                            AdminClient.object().put("reason", "spam").put("ban_s", 600))
                    .json();
            assertThat(banned.get("closed").asInt()).isEqualTo(2);
            assertThat(banned.get("banned_until_ms").asLong()).isGreaterThan(System.currentTimeMillis() + 590_000);
            ServerFrame goAway = tcp.await(ServerFrame::hasGoAway);
            assertThat(goAway.getGoAway().getReason()).isEqualTo("spam");
            assertThat(goAway.getGoAway().getReconnectAfterMs())
                    .as("come back when the ban ends")
                    .isEqualTo(600_000);
            tcp.awaitClosed();
            ws.awaitClosed();

            assertRefused(ErrorCode.FORBIDDEN, "banned");
            try (TestClient same = server.connect("alice")) {
                assertThat(same.isClosedByServer())
                        .as("other users are not affected")
                        .isFalse();
            }
            assertThat(bystander
                            .request(ClientFrame.newBuilder()
                                    .setPing(io.livepush.proto.v1.Ping.newBuilder()
                                            .setNonce(1)))
                            .hasPong())
                    .isTrue();

            server.stop();
            server.start();
            api = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
            assertRefused(ErrorCode.FORBIDDEN, "banned"); // persisted

            assertThat(api.delete("/api/v1/users/mallory/ban")
                            .json()
                            .get("banned_until_ms")
                            .asLong())
                    .isZero();
            try (TestClient back = TestClient.open(server.tcpAddress())) {
                assertThat(back.request(connect("mallory")).hasConnected()).isTrue();
            }
        }
    }

    @Test
    void revokedTokensAreRefusedAndNewOnesWork() throws Exception {
        String stolen = signed("victim", Instant.now().minus(1, ChronoUnit.HOURS));
        try (TestClient thief = TestClient.open(server.tcpAddress())) {
            assertThat(thief.request(ClientFrame.newBuilder()
                                    .setConnect(Connect.newBuilder()
                                            .setToken(stolen)
                                            .setProtocolVersion(1)))
                            .hasConnected())
                    .isTrue();

            JsonNode revoked = api.post("/api/v1/users/victim/revoke", AdminClient.object())
                    .json();
            assertThat(revoked.get("closed").asInt()).isEqualTo(1);
            thief.await(ServerFrame::hasGoAway);
            thief.awaitClosed();
        }
        assertRefusedWith(stolen, ErrorCode.UNAUTHENTICATED, "revoked");
        String noIat = JWT.create()
                .withKeyId("k1")
                .withSubject("victim")
                .withExpiresAt(Instant.now().plus(1, ChronoUnit.HOURS))
                .sign(Algorithm.HMAC256(PushServerExtension.SECRET));
        assertRefusedWith(noIat, ErrorCode.UNAUTHENTICATED, "revoked");

        server.stop();
        server.start();
        assertRefusedWith(stolen, ErrorCode.UNAUTHENTICATED, "revoked"); // persisted
        try (TestClient fresh = server.connect("victim")) { // issued now: after the revocation's second
            assertThat(fresh.isClosedByServer()).isFalse();
        }
        api = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
        JsonNode state = api.get("/api/v1/users/victim").json();
        assertThat(state.get("tokens_revoked_before_ms").asLong()).isPositive();
        assertThat(Samples.value(
                        server.server().metrics().scrape(), "push_limit_refusals_total{limit=\"banned_user\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    private static void assertRefused(ErrorCode code, String why) throws Exception {
        assertRefusedWith(server.tokenFor("mallory"), code, why);
        WsTestClient ws = WsTestClient.open(server.webUrl(), "push.v1.json");
        ServerFrame f = ws.request(ClientFrame.newBuilder()
                .setConnect(Connect.newBuilder()
                        .setToken(server.tokenFor("mallory"))
                        .setProtocolVersion(1)));
        assertThat(f.getError().getCode()).isEqualTo(code);
        assertThat(f.getError().getMessage()).contains(why);
        ws.awaitClosed();
    }

    private static void assertRefusedWith(String token, ErrorCode code, String why) throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            ServerFrame f = c.request(ClientFrame.newBuilder()
                    .setConnect(Connect.newBuilder().setToken(token).setProtocolVersion(1)));
            assertThat(f.getError().getCode()).isEqualTo(code);
            assertThat(f.getError().getMessage()).contains(why);
            assertThat(f.getError().getFatal()).isTrue();
            c.awaitClosed();
        }
    }

    private static ClientFrame.Builder connect(String user) {
        return ClientFrame.newBuilder()
                .setConnect(Connect.newBuilder().setToken(server.tokenFor(user)).setProtocolVersion(1));
    }

    /** A token the backend issued at {@code issuedAt}, valid for a day from then. */
    private static String signed(String user, Instant issuedAt) {
        return JWT.create()
                .withKeyId("k1")
                .withSubject(user)
                .withIssuedAt(issuedAt)
                .withExpiresAt(issuedAt.plus(1, ChronoUnit.DAYS))
                .sign(Algorithm.HMAC256(PushServerExtension.SECRET));
    }
}
