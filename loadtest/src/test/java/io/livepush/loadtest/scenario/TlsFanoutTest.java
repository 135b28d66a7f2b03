package io.livepush.loadtest.scenario;

import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.engine.ClientTls;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.targets.TargetKind;
import io.livepush.server.config.ServerConfig;
import io.livepush.server.testing.TestCertificate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness against a server with {@code --tls-cert}: both of our transports over TLS, verified. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsFanoutTest {
    private static final TestCertificate.PemFiles FILES =
            TestCertificate.localhost().writeToTempDir();

    @RegisterExtension
    static final InProcessServer server = new InProcessServer(
            ServerConfig.DEFAULT_HEARTBEAT_MS, b -> b.tlsCert(FILES.cert()).tlsKey(FILES.key()));

    private final PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @AfterAll
    static void deleteFiles() {
        FILES.delete();
    }

    @Test
    void fanoutOverTlsOnTcpDeliversEverything() throws Exception {
        assertPasses(TargetKind.PUSH_TCP, server.tcpAddress(), "room.tls-tcp");
    }

    @Test
    void fanoutOverTlsOnWebSocketDeliversEverything() throws Exception {
        assertPasses(TargetKind.PUSH_WS, server.wsAddress(), "room.tls-ws");
    }

    private void assertPasses(TargetKind kind, InetSocketAddress address, String room) throws Exception {
        FanoutOptions options = FanoutOptions.defaults(kind, address, InProcessServer.SECRET)
                .withRoom(room)
                .withRate(100)
                .withDuration(Duration.ofSeconds(1))
                .withTls(ClientTls.context(FILES.cert()));

        Summary s = new Fanout(scenario("fanout").inject(atOnceUsers(10)), options, console).run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.counts().errors()).isZero();
        assertThat(s.counts().subscribersJoined()).isEqualTo(10);
        assertThat(s.counts().deliveries())
                .isEqualTo(s.counts().expectedDeliveries())
                .isPositive();
    }
}
