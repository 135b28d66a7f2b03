package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.ServerFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HeartbeatIT {
    private static final int HEARTBEAT_MS = 300;

    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(b -> b.heartbeatMs(HEARTBEAT_MS));

    @Test
    void connectedAnnouncesTheHeartbeat() throws Exception {
        try (TestClient c = server.connect("hb1")) {
            ServerFrame pong =
                    c.request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(1)));
            assertThat(pong.getPong().getNonce()).isEqualTo(1);
        }
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            assertThat(c.connect(server.tokenFor("hb1")).getConnected().getHeartbeatMs())
                    .isEqualTo(HEARTBEAT_MS);
        }
    }

    @Test
    void silentConnectionIsClosedWhilePingingOneStays() throws Exception {
        try (TestClient silent = server.connect("hb2");
                TestClient pinging = server.connect("hb3")) {
            long deadline = System.nanoTime() + 10L * HEARTBEAT_MS * 1_000_000;
            long nonce = 0;
            while (!silent.isClosedByServer() && System.nanoTime() < deadline) {
                // Each pong is the pacing: one ping per round trip, far more often than the heartbeat.
                ServerFrame pong = pinging.request(
                        ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(++nonce)));
                assertThat(pong.getPong().getNonce()).isEqualTo(nonce);
            }
            assertThat(silent.isClosedByServer())
                    .as("silent connection closed after 2 heartbeats")
                    .isTrue();
            assertThat(pinging.isClosedByServer()).isFalse();
        }
    }
}
