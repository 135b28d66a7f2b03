package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.ServerFrame;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionLimitIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(b -> b.maxConnections(2));

    /** Its own server: what it logs is not in a window an earlier test opened. */
    @RegisterExtension
    static final PushServerExtension logged = new PushServerExtension(b -> b.maxConnections(1));

    /** Its own server: no earlier test's connection is still open or closing while its gauges are read. */
    @RegisterExtension
    static final PushServerExtension gauged = new PushServerExtension(b -> b.maxConnections(1));

    private static final Duration ADMISSION_DEADLINE = Duration.ofSeconds(10);

    /** A refused connection was never open to the server's clients: neither the gauge nor the disconnects count it. */
    @Test
    void refusedConnectionsAreNeitherOpenNorDisconnectedInTheMetrics() throws Exception {
        TestClient admitted = gauged.connect("gauge-a");
        for (int i = 0; i < 3; i++) {
            try (TestClient refused = TestClient.open(gauged.tcpAddress())) {
                assertThat(refused.await(ServerFrame::hasGoAway).getGoAway().getReason())
                        .contains("connection limit");
                refused.awaitClosed();
            }
        }
        admitted.close();
        // The admitted close is counted in the same call that takes it off the gauge: wait for it.
        long deadline = System.nanoTime() + ADMISSION_DEADLINE.toNanos();
        while (Samples.value(gauged.server().metrics().scrape(), "push_disconnects_total{reason=\"client_closed\"}") < 1
                && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling with a deadline: nothing signals the server-side close
        }
        String scrape = gauged.server().metrics().scrape();
        assertThat(Samples.value(scrape, "push_disconnects_total{reason=\"client_closed\"}"))
                .isEqualTo(1);
        assertThat(Samples.value(scrape, "push_connections{transport=\"tcp\"}")).isZero();
        assertThat(scrape).containsPattern("push_connections_rejected_total 3");
    }

    @Test
    void refusalsAtTheLimitAreLoggedOncePerIntervalNotOncePerConnection() throws Exception {
        try (LogLines lines = LogLines.of("io.livepush.server.bootstrap.ConnectionLimitHandler");
                TestClient admitted = logged.connect("logged-a")) {
            for (int i = 0; i < 5; i++) {
                try (TestClient refused = TestClient.open(logged.tcpAddress())) {
                    assertThat(refused.await(ServerFrame::hasGoAway).getGoAway().getReason())
                            .contains("connection limit");
                }
            }
            assertThat(lines.containing("connection refused at the limit")).hasSize(1);
        }
    }

    @Test
    void connectionAboveTheLimitGetsGoAwayAndIsClosedWhileAdmittedOnesKeepWorking() throws Exception {
        try (TestClient first = admitted("limit-a");
                TestClient second = admitted("limit-b")) {
            // Both slots are ours now: connections of earlier tests are no longer counted.
            try (TestClient third = TestClient.open(server.tcpAddress())) {
                ServerFrame goAway = third.await(ServerFrame::hasGoAway);
                assertThat(goAway.getGoAway().getReason()).contains("connection limit");
                assertThat(goAway.getGoAway().getReconnectAfterMs()).isBetween(1000, 5000);
                third.awaitClosed();
            }

            assertThat(ping(first, 1).getPong().getNonce()).isEqualTo(1);
            first.join("limit.room");
            second.join("limit.room");
            long seq =
                    first.publish("limit.room", "still served").getPublished().getSeq();
            Message m = second.messages("limit.room", 1).get(0);
            assertThat(m.getSeq()).isEqualTo(seq);
            assertThat(m.getPayload().toStringUtf8()).isEqualTo("still served");
            assertThat(server.server().metrics().scrape()).containsPattern("push_connections_rejected_total [1-9]");
        }
    }

    @Test
    void aClosedConnectionFreesItsSlotForANewOne() throws Exception {
        try (TestClient stays = admitted("slot-a")) {
            TestClient leaves = admitted("slot-b");
            try (TestClient refused = TestClient.open(server.tcpAddress())) {
                // Like a real client, it speaks at once; it must be refused all the same, never served.
                try {
                    refused.send(ClientFrame.newBuilder()
                            .setConnect(Connect.newBuilder()
                                    .setToken(server.tokenFor("slot-x"))
                                    .setProtocolVersion(1)));
                } catch (UncheckedIOException e) {
                    // already refused and closed: the GoAway is queued
                }
                ServerFrame f = refused.nextOrClosed();
                assertThat(f).isNotNull();
                assertThat(f.hasGoAway()).as("%s", f).isTrue();
                assertThat(refused.nextOrClosed()).as("nothing after GoAway").isNull();
            }
            leaves.close();
            try (TestClient newcomer = admitted("slot-c")) {
                assertThat(ping(newcomer, 2).getPong().getNonce()).isEqualTo(2);
                assertThat(ping(stays, 3).getPong().getNonce()).isEqualTo(3);
            }
        }
    }

    /**
     * A connection that the server admitted and authenticated. A slot frees only once the server has
     * seen an earlier connection close, so this retries, until a deadline, while the server refuses.
     */
    private static TestClient admitted(String user) throws Exception {
        long deadline = System.nanoTime() + ADMISSION_DEADLINE.toNanos();
        String token = server.tokenFor(user);
        while (true) {
            TestClient c = TestClient.open(server.tcpAddress());
            try {
                c.send(ClientFrame.newBuilder()
                        .setConnect(Connect.newBuilder().setToken(token).setProtocolVersion(1)));
            } catch (UncheckedIOException e) {
                // Refused and closed before we spoke: the reader closed the socket at end of stream.
            }
            ServerFrame f = c.nextOrClosed();
            if (f != null && f.hasConnected()) {
                assertThat(f.getConnected().getUserId()).isEqualTo(user);
                return c;
            }
            c.close();
            assertThat(f == null || f.hasGoAway())
                    .as("refused with GoAway, or closed: %s", f)
                    .isTrue();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(user + " not admitted within " + ADMISSION_DEADLINE);
            }
            Thread.sleep(20); // back off between tries; the loop, not the sleep, waits for the slot
        }
    }

    private static ServerFrame ping(TestClient c, long nonce) {
        return c.request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)));
    }
}
