package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.codec.WebSocketSubprotocols;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every close of a connected client is one INFO {@code disconnected} line (user, transport, reason,
 * duration) and one count in {@code push_disconnects_total{reason}}; none carries a stack trace.
 */
class DisconnectIT {
    private static final String LIFECYCLE = "io.livepush.server.session.ConnectionLifecycle";

    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    /** A heartbeat short enough that a silent client goes idle within the test. */
    @RegisterExtension
    static final PushServerExtension quick = new PushServerExtension(b -> b.heartbeatMs(200));

    /** Its own server, so that no other test's connection is still closing while the gauge is read. */
    @RegisterExtension
    static final PushServerExtension counted = new PushServerExtension();

    @Test
    void clientCloseIsCountedAndLoggedOnce() throws Exception {
        try (LogLines lines = LogLines.of(LIFECYCLE)) {
            double before = disconnects(server, "client_closed");
            server.connect("disc-client").close();

            String line = awaitLine(lines, "user=disc-client ");
            assertThat(line).contains("transport=tcp", "reason=client_closed", "duration_ms=");
            assertThat(lines.containing("user=disc-client ")).hasSize(1);
            assertThat(lines.withStackTraces()).isEmpty();
            assertThat(disconnects(server, "client_closed")).isGreaterThanOrEqualTo(before + 1);
        }
    }

    @Test
    void fatalErrorClosesWithItsCodeAsReason() throws Exception {
        try (LogLines lines = LogLines.of(LIFECYCLE);
                TestClient c = server.connect("disc-fatal")) {
            c.sendRaw(new byte[] {3, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // length 3, then bytes that do not parse
            ServerFrame error = c.await(ServerFrame::hasError);
            assertThat(error.getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);

            assertThat(awaitLine(lines, "user=disc-fatal ")).contains("reason=malformed_frame");
            assertThat(disconnects(server, "malformed_frame")).isGreaterThanOrEqualTo(1);
            assertThat(lines.withStackTraces()).isEmpty();
        }
    }

    @Test
    void adminDisconnectIsItsOwnReason() throws Exception {
        AdminClient api = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
        try (LogLines lines = LogLines.of(LIFECYCLE);
                TestClient c = server.connect("disc-kicked")) {
            assertThat(api.post("/api/v1/users/disc-kicked/disconnect", AdminClient.object())
                            .status())
                    .isEqualTo(200);
            c.awaitClosed();

            assertThat(awaitLine(lines, "user=disc-kicked ")).contains("reason=admin_disconnect");
            assertThat(disconnects(server, "admin_disconnect")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void silentClientClosesAsIdle() throws Exception {
        try (LogLines lines = LogLines.of(LIFECYCLE);
                TestClient c = quick.connect("disc-idle")) {
            c.awaitClosed();

            assertThat(awaitLine(lines, "user=disc-idle ")).contains("reason=idle");
            assertThat(disconnects(quick, "idle")).isGreaterThanOrEqualTo(1);
        }
    }

    /** The dispatcher relays each connection's open and close to the lifecycle, on both transports. */
    @Test
    void openConnectionsAreCountedPerTransportUntilTheyClose() throws Exception {
        try (LogLines lines = LogLines.of(LIFECYCLE)) {
            TestClient tcp = counted.connect("disc-gauge-tcp");
            awaitConnections("tcp", 1);
            WsTestClient ws = WsTestClient.open(counted.webUrl(), WebSocketSubprotocols.PROTO);
            awaitConnections("websocket", 1);

            tcp.close();
            awaitConnections("tcp", 0);
            assertThat(awaitLine(lines, "user=disc-gauge-tcp ")).contains("transport=tcp");
            ws.close();
            awaitConnections("websocket", 0);
        }
    }

    /** Polls the gauge with a deadline: the close runs on the connection's event loop, with no hook to wait on. */
    private static void awaitConnections(String transport, double expected) throws InterruptedException {
        String sample = "push_connections{transport=\"" + transport + "\"}";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double open = Samples.value(scrape(counted), sample);
        while (open != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            open = Samples.value(scrape(counted), sample);
        }
        assertThat(open).as(sample).isEqualTo(expected);
    }

    private static String scrape(PushServerExtension on) {
        return new AdminClient(on.adminUrl(), PushServerExtension.API_KEY)
                .getWithKey("/metrics", null)
                .body();
    }

    private static double disconnects(PushServerExtension on, String reason) {
        return Samples.value(scrape(on), "push_disconnects_total{reason=\"" + reason + "\"}");
    }

    /** The close is logged on the connection's event loop once the socket is gone: poll for it. */
    private static String awaitLine(LogLines lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> found = lines.containing(text);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling the captured lines with a deadline: no hook signals the logged close
            found = lines.containing(text);
        }
        assertThat(found).as("a disconnected line with " + text).isNotEmpty();
        return found.get(0);
    }
}
