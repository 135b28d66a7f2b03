package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each configured limit refuses with a clear error and a metric, while other clients keep being
 * served (issue 11). Loopback has many addresses: other "IPs" connect from 127.0.0.2 and up.
 */
class LimitsIT {
    @RegisterExtension
    static final PushServerExtension perIp = new PushServerExtension(b -> b.maxConnectionsPerIp(3));

    @RegisterExtension
    static final PushServerExtension connectRate = new PushServerExtension(b -> b.connectRatePerIp(5));

    @RegisterExtension
    static final PushServerExtension perUser = new PushServerExtension(b -> b.maxConnectionsPerUser(2)
            .publishRatePerConnection(5)
            .publishRatePerUser(8)
            .maxSubscriptions(2));

    @Test
    void connectionsPerIpAreCappedAndFreedOnClose() throws Exception {
        List<TestClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(connect(perIp, "127.0.0.1", "ip" + i));
            }
            try (TestClient fourth = TestClient.open(perIp.tcpAddress(), "127.0.0.1")) {
                ServerFrame goAway = fourth.await(ServerFrame::hasGoAway);
                assertThat(goAway.getGoAway().getReason()).contains("too many connections from your address");
                assertThat(goAway.getGoAway().getReconnectAfterMs()).isBetween(1000, 5000);
                fourth.awaitClosed();
            }
            try (TestClient other = connect(perIp, "127.0.0.2", "ip-other")) {
                assertStillServed(other);
            }
            held.remove(0).close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) { // the slot is freed when the server has seen the close
                try (TestClient again = TestClient.open(perIp.tcpAddress(), "127.0.0.1")) {
                    ServerFrame f = tryConnect(again, perIp, "ip-again");
                    if (f.hasConnected()) {
                        break;
                    }
                    assertThat(System.nanoTime())
                            .as("a slot is free again within 5 s")
                            .isLessThan(deadline);
                }
            }
            assertThat(refusals(perIp, "connections_per_ip")).isGreaterThanOrEqualTo(1);
        } finally {
            for (TestClient c : held) {
                c.close();
            }
        }
    }

    @Test
    void connectionAttemptsPerSecondPerIpAreCapped() throws Exception {
        List<TestClient> burst = new ArrayList<>();
        try {
            ServerFrame refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                TestClient c = TestClient.open(connectRate.tcpAddress(), "127.0.0.3");
                burst.add(c);
                ServerFrame f = tryConnect(c, connectRate, "rate" + i);
                if (f.hasGoAway()) {
                    refused = f;
                } else {
                    assertThat(f.hasConnected()).as("%s", f).isTrue();
                }
            }
            assertThat(refused).as("refused within 20 attempts at 5 per second").isNotNull();
            assertThat(burst.size()).as("the burst of 5 is allowed").isGreaterThan(5);
            assertThat(refused.getGoAway().getReason()).contains("too many new connections");
            assertThat(refused.getGoAway().getReconnectAfterMs()).isPositive();
            try (TestClient other = connect(connectRate, "127.0.0.4", "rate-other")) {
                assertStillServed(other);
            }
            assertThat(refusals(connectRate, "connect_rate_per_ip")).isGreaterThanOrEqualTo(1);
        } finally {
            for (TestClient c : burst) {
                c.close();
            }
        }
    }

    @Test
    void connectionsPerUserAreCapped() throws Exception {
        try (TestClient a = perUser.connect("capped");
                TestClient b = perUser.connect("capped");
                TestClient c = TestClient.open(perUser.tcpAddress())) {
            ServerFrame third = c.request(connectFrame(perUser, "capped"));
            assertThat(third.getError().getCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(third.getError().getFatal()).isTrue();
            assertThat(third.getError().getMessage()).contains("2 connections");
            c.awaitClosed();
            try (TestClient other = perUser.connect("not-capped")) {
                assertStillServed(other);
            }
            assertStillServed(a);
            assertThat(refusals(perUser, "connections_per_user")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void publishesPerConnectionAreRateLimitedWithRetryAfter() throws Exception {
        try (TestClient c = perUser.connect("fast-publisher");
                TestClient other = perUser.connect("calm-publisher")) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(c.send(publishFrame("limits.fast", "m" + i)));
            }
            int acked = 0;
            ServerFrame limited = null;
            for (int id : ids) {
                ServerFrame f = c.await(x -> x.getReplyTo() == id);
                if (f.hasPublished()) {
                    acked++;
                } else {
                    assertThat(f.getError().getCode()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(f.getError().getFatal()).isFalse();
                    limited = f;
                }
            }
            assertThat(acked).as("the burst of one second's rate").isEqualTo(5);
            assertThat(limited.getError().getRetryAfterMs()).isBetween(1, 1000);
            assertStillServed(other);

            Thread.sleep(limited.getError().getRetryAfterMs()); // the server's own instruction, not a synchronisation
            assertThat(c.request(publishFrame("limits.fast", "after the wait")).hasPublished())
                    .isTrue();
            assertThat(refusals(perUser, "publish_rate_per_connection")).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void publishesPerUserAreRateLimitedOverAllTheirConnections() throws Exception {
        try (TestClient a = perUser.connect("two-devices");
                TestClient b = perUser.connect("two-devices")) {
            int[][] ids = new int[2][5];
            for (int i = 0; i < 5; i++) { // within each connection's rate, above the user's 8 together
                ids[0][i] = a.send(publishFrame("limits.user", "a" + i));
                ids[1][i] = b.send(publishFrame("limits.user", "b" + i));
            }
            int limited = 0;
            for (int k = 0; k < 2; k++) {
                TestClient c = k == 0 ? a : b;
                for (int id : ids[k]) {
                    ServerFrame f = c.await(x -> x.getReplyTo() == id);
                    if (f.hasError()) {
                        assertThat(f.getError().getCode()).isEqualTo(ErrorCode.RATE_LIMITED);
                        assertThat(f.getError().getRetryAfterMs()).isPositive();
                        limited++;
                    }
                }
            }
            // 10 at once against 8 per second: 2 refused, or 1 if the rate refilled one while they were sent.
            assertThat(limited).isBetween(1, 2);
            assertThat(refusals(perUser, "publish_rate_per_user")).isGreaterThanOrEqualTo(limited);
        }
    }

    @Test
    void subscriptionsPerConnectionAreCapped() throws Exception {
        try (TestClient c = perUser.connect("subscriber")) {
            assertThat(c.subscribe("limits.s1").hasSubscribed()).isTrue();
            assertThat(c.subscribe("limits.s2").hasSubscribed()).isTrue();
            ServerFrame third = c.subscribe("limits.s3");
            assertThat(third.getError().getCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(third.getError().getFatal()).isFalse();
            assertThat(third.getError().getMessage()).contains("at most 2 subscriptions");
            assertStillServed(c);
            assertThat(refusals(perUser, "subscriptions_per_connection")).isGreaterThanOrEqualTo(1);
        }
    }

    private static TestClient connect(PushServerExtension server, String localHost, String user) throws IOException {
        TestClient c = TestClient.open(server.tcpAddress(), localHost);
        ServerFrame f = c.request(connectFrame(server, user));
        assertThat(f.hasConnected()).as("%s", f).isTrue();
        return c;
    }

    /** The answer to a Connect, or the GoAway of a connection refused at the door. */
    private static ServerFrame tryConnect(TestClient c, PushServerExtension server, String user) {
        int id;
        try {
            id = c.send(connectFrame(server, user));
        } catch (java.io.UncheckedIOException refusedAndClosedAlready) {
            return c.await(ServerFrame::hasGoAway);
        }
        return c.await(f -> f.getReplyTo() == id || f.hasGoAway());
    }

    private static ClientFrame.Builder connectFrame(PushServerExtension server, String user) {
        return ClientFrame.newBuilder()
                .setConnect(io.livepush.proto.v1.Connect.newBuilder()
                        .setToken(server.tokenFor(user))
                        .setProtocolVersion(1));
    }

    private static ClientFrame.Builder publishFrame(String channel, String text) {
        return ClientFrame.newBuilder()
                .setPublish(Publish.newBuilder()
                        .setChannel(channel)
                        .setKind("chat")
                        .setPayload(com.google.protobuf.ByteString.copyFromUtf8(text)));
    }

    private static void assertStillServed(TestClient c) {
        String room = "limits.alive" + System.identityHashCode(c);
        assertThat(c.publish(room, "alive").hasPublished()).isTrue();
        ServerFrame history = c.request(ClientFrame.newBuilder()
                .setHistory(io.livepush.proto.v1.History.newBuilder()
                        .setChannel(room)
                        .setLimit(10)));
        assertThat(history.getHistory().getMessages(0).getPayload().toStringUtf8())
                .isEqualTo("alive");
    }

    private static double refusals(PushServerExtension server, String limit) {
        return Samples.value(server.server().metrics().scrape(), "push_limit_refusals_total{limit=\"" + limit + "\"}");
    }
}
