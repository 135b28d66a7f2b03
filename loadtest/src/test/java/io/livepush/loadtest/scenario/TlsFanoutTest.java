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
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness against a server with {@code --tls-cert}: both of our transports over TLS, verified. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsFanoutTest {
    private static final Path DIR = tempDir();
    private static final Path CERT = DIR.resolve("server.crt");
    private static final Path KEY = DIR.resolve("server.key");

    static {
        TestCertificate.localhost().writeTo(CERT, KEY);
    }

    @RegisterExtension
    static final InProcessServer server = new InProcessServer(ServerConfig.DEFAULT_HEARTBEAT_MS,
            b -> b.tlsCert(CERT).tlsKey(KEY));

    private final PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @AfterAll
    static void deleteFiles() throws IOException {
        Files.deleteIfExists(CERT);
        Files.deleteIfExists(KEY);
        Files.deleteIfExists(DIR);
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
                .withRoom(room).withRate(100).withDuration(Duration.ofSeconds(1))
                .withTls(ClientTls.context(CERT));

        Summary s = new Fanout(scenario("fanout").inject(atOnceUsers(10)), options, console).run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.counts().errors()).isZero();
        assertThat(s.counts().subscribersJoined()).isEqualTo(10);
        assertThat(s.counts().deliveries()).isEqualTo(s.counts().expectedDeliveries()).isPositive();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("loadtest-tls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
