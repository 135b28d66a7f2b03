package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Refresh;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.KeyRing;
import io.livepush.server.auth.Operation;
import io.livepush.server.auth.TokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(b -> b.handshakeTimeoutMs(500));

    @Test
    void connectWithValidTokenAnswersConnected() throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            ServerFrame f = c.connect(server.tokenFor("alice"));
            assertThat(f.getConnected().getUserId()).isEqualTo("alice");
            assertThat(f.getConnected().getHeartbeatMs()).isPositive();
            assertThat(f.getConnected().getSessionId()).isNotEmpty();
            ServerFrame pong =
                    c.request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(42)));
            assertThat(pong.getPong().getNonce()).isEqualTo(42);
        }
    }

    @Test
    void tokenSignedWithAnotherKeyIsUnauthenticatedAndClosed() throws Exception {
        String forged = new TokenIssuer(
                        KeyRing.of("another-secret-that-is-long-enough-123456", Map.of()), Clock.systemUTC())
                .issue("mallory", Duration.ofHours(1), List.of());
        assertFatal(connectFrame(forged), ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void garbageTokenIsUnauthenticated() throws Exception {
        assertFatal(connectFrame("not.a.jwt"), ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        String expired = new TokenIssuer(KeyRing.of(PushServerExtension.SECRET, Map.of()), anHourAgo)
                .issue("bob", Duration.ofMinutes(5), List.of());
        assertFatal(connectFrame(expired), ErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void unknownProtocolVersionIsRefused() throws Exception {
        assertFatal(
                ClientFrame.newBuilder()
                        .setConnect(Connect.newBuilder()
                                .setToken(server.tokenFor("carol"))
                                .setProtocolVersion(99)),
                ErrorCode.UNSUPPORTED_VERSION);
    }

    @Test
    void anyFrameBeforeConnectIsNotConnected() throws Exception {
        assertFatal(ClientFrame.newBuilder().setJoin(JoinRoom.newBuilder().setRoom("r1")), ErrorCode.NOT_CONNECTED);
    }

    @Test
    void silentConnectionIsClosedAfterHandshakeTimeout() throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            c.awaitClosed();
        }
    }

    @Test
    void secondConnectIsAlreadyConnected() throws Exception {
        try (TestClient c = server.connect("dave")) {
            ServerFrame f = c.request(connectFrame(server.tokenFor("dave")));
            assertThat(f.getError().getCode()).isEqualTo(ErrorCode.ALREADY_CONNECTED);
            assertThat(f.getError().getFatal()).isFalse();
        }
    }

    @Test
    void tokenExpiryClosesTheConnectionUnlessRefreshed() throws Exception {
        try (TestClient refreshed = TestClient.open(server.tcpAddress());
                TestClient lapsed = TestClient.open(server.tcpAddress())) {
            refreshed.connect(server.token("erin", Duration.ofSeconds(2), List.of()));
            lapsed.connect(server.token("erin", Duration.ofSeconds(2), List.of()));

            ServerFrame answer = refreshed.request(ClientFrame.newBuilder()
                    .setRefresh(Refresh.newBuilder().setToken(server.token("erin", Duration.ofHours(1), List.of()))));
            assertThat(answer.getRefreshed().getExpiresMs()).isGreaterThan(System.currentTimeMillis());

            ServerFrame expired = lapsed.await(ServerFrame::hasError);
            assertThat(expired.getError().getCode()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
            assertThat(expired.getError().getFatal()).isTrue();
            lapsed.awaitClosed();

            ServerFrame pong = refreshed.request(
                    ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(7)));
            assertThat(pong.hasPong())
                    .as("the refreshed connection outlives the first token")
                    .isTrue();
        }
    }

    @Test
    void anExpiredTokensErrorLingersLikeEveryFatalErrorSoWhatTheClientStillSendsIsNoReset() throws Exception {
        try (TestClient lapsed = TestClient.open(server.tcpAddress())) {
            lapsed.connect(server.token("ivan", Duration.ofSeconds(2), List.of()));
            assertThat(lapsed.await(ServerFrame::hasError).getError().getCode()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
            // A client that has not read the error yet keeps sending; a socket closed at once answers
            // that with a reset, which fails these writes (and can destroy the unread error).
            byte[] ping = ClientFrame.newBuilder()
                    .setId(9)
                    .setPing(Ping.newBuilder().setNonce(9))
                    .build()
                    .toByteArray();
            for (int i = 0; i < 10; i++) {
                lapsed.sendRaw(new byte[] {(byte) ping.length});
                lapsed.sendRaw(ping);
                Thread.sleep(20); // a client sending over 200 ms, inside the server's one-second linger
            }
            lapsed.awaitClosed();
        }
    }

    @Test
    void refreshForAnotherUserIsForbidden() throws Exception {
        try (TestClient c = server.connect("frank")) {
            ServerFrame f = c.request(
                    ClientFrame.newBuilder().setRefresh(Refresh.newBuilder().setToken(server.tokenFor("grace"))));
            assertThat(f.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
        }
    }

    @Test
    void channelTokenGrantsOnlyItsChannel() throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            c.connect(server.token("heidi", Duration.ofHours(1), List.of()));
            String grant = server.channelToken("heidi", "vip.room", Set.of(Operation.JOIN));
            ServerFrame denied = c.join("vip.room");
            assertThat(denied.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            ServerFrame joined = c.request(ClientFrame.newBuilder()
                    .setJoin(JoinRoom.newBuilder().setRoom("vip.room").setToken(grant)));
            assertThat(joined.hasJoined()).as("%s", joined).isTrue();
            String foreign = server.channelToken("ivan", "vip.other", Set.of(Operation.JOIN));
            ServerFrame other = c.request(ClientFrame.newBuilder()
                    .setSwitchRoom(io.livepush.proto.v1.SwitchRoom.newBuilder()
                            .setRoom("vip.other")
                            .setToken(foreign)));
            assertThat(other.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
        }
    }

    @Test
    void capsPatternLimitsOperations() throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            c.connect(server.token(
                    "judy", Duration.ofHours(1), List.of(new Capability(List.of("public.*"), Set.of(Operation.JOIN)))));
            assertThat(c.join("public.lobby").hasJoined()).isTrue();
            assertThat(c.publish("public.lobby", "hi").getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(c.subscribe("private.x").getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(c.subscribe("user.judy").hasSubscribed())
                    .as("own inbox needs no cap")
                    .isTrue();
            assertThat(c.subscribe("bad name!").getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
        }
    }

    private static ClientFrame.Builder connectFrame(String token) {
        return ClientFrame.newBuilder()
                .setConnect(Connect.newBuilder().setToken(token).setProtocolVersion(1));
    }

    private static void assertFatal(ClientFrame.Builder first, ErrorCode code) throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            ServerFrame f = c.request(first);
            assertThat(f.getError().getCode()).isEqualTo(code);
            assertThat(f.getError().getFatal()).isTrue();
            assertThat(f.getError().getMessage()).doesNotContain("Exception").doesNotContain("\tat ");
            c.awaitClosed();
        }
    }
}
