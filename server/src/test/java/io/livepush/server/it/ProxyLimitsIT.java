package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.it.FakeBackend.Answer;
import io.livepush.server.proxy.ProxyConfig;
import io.livepush.server.proxy.ProxyHook;
import io.livepush.server.testing.Promtool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bound on a hook's calls in flight, and the proxy meters in a lint-clean scrape. */
class ProxyLimitsIT {
    @RegisterExtension
    @Order(1)
    static final FakeBackend backend = new FakeBackend();

    @RegisterExtension
    @Order(2)
    static final PushServerExtension server = new PushServerExtension(b -> b.proxy(
            new ProxyConfig(Map.of(ProxyHook.CONNECT, backend.url("connect")), Duration.ofSeconds(5), 2, List.of())));

    static {
        backend.on("connect", r -> Answer.hang());
    }

    private static int sendConnect(TestClient c) {
        return c.send(ClientFrame.newBuilder()
                .setConnect(Connect.newBuilder().setToken("opaque").setProtocolVersion(1)));
    }

    @Test
    void callPastTheBoundIsRefusedAtOnceNotQueued() throws Exception {
        try (TestClient first = TestClient.open(server.tcpAddress());
                TestClient second = TestClient.open(server.tcpAddress());
                TestClient third = TestClient.open(server.tcpAddress())) {
            sendConnect(first);
            sendConnect(second);
            backend.next("connect");
            backend.next("connect"); // both calls are at the backend, which does not answer

            long start = System.nanoTime();
            int id = sendConnect(third);
            ServerFrame busy = third.await(f -> f.getReplyTo() == id);
            assertThat(busy.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(busy.getError().getMessage()).contains("busy");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(backend.pending("connect")).isEmpty();

            String scrape = server.server().metrics().scrape();
            assertThat(Samples.value(scrape, "push_proxy_requests_total{hook=\"connect\",outcome=\"overloaded\"}"))
                    .isEqualTo(1);
            assertThat(Samples.value(scrape, "push_proxy_in_flight{hook=\"connect\"}"))
                    .isEqualTo(2);
        }
    }

    @Test
    void connectionsThatHangUpGiveUpTheirCallsBeforeTheTimeout() throws Exception {
        awaitNoneInFlight(); // the other test's calls end with its connections
        long start = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            try (TestClient leaving = TestClient.open(server.tcpAddress())) {
                sendConnect(leaving);
                backend.next("connect"); // at the backend, which does not answer
            }
        }
        awaitNoneInFlight();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("freed when the connections closed, not at the 5 s timeout")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(Samples.value(
                        server.server().metrics().scrape(),
                        "push_proxy_requests_total{hook=\"connect\",outcome=\"abandoned\"}"))
                .isGreaterThanOrEqualTo(2);

        try (TestClient first = TestClient.open(server.tcpAddress());
                TestClient second = TestClient.open(server.tcpAddress())) {
            sendConnect(first);
            sendConnect(second);
            assertThat(backend.next("connect")).isNotNull();
            assertThat(backend.next("connect")).as("both places free again").isNotNull();
        }
        awaitNoneInFlight();
    }

    /** Polls the in-flight gauge, with a deadline below the hook's timeout. */
    private static void awaitNoneInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (Samples.value(server.server().metrics().scrape(), "push_proxy_in_flight{hook=\"connect\"}") > 0) {
            assertThat(System.nanoTime()).as("calls still in flight after 3 s").isLessThan(deadline);
            Thread.sleep(20); // polling the gauge with a deadline
        }
    }

    @Test
    void scrapeWithProxyMetersPassesPromtoolLint() throws Exception {
        Promtool.assumeInstalled();
        Promtool.Result lint =
                Promtool.run(Path.of("."), server.server().metrics().scrape(), "check", "metrics");
        assertThat(lint.output()).as("promtool check metrics").isEmpty();
        assertThat(lint.exitCode()).isZero();
    }
}
