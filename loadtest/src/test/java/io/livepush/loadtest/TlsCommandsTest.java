package io.livepush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.scenario.InProcessServer;
import io.livepush.server.config.ServerConfig;
import io.livepush.server.testing.TestCertificate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --tls} / {@code --tls-trust} on the command line, against a server with {@code --tls-cert}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsCommandsTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final InProcessServer server = new InProcessServer(ServerConfig.DEFAULT_HEARTBEAT_MS, b -> {
        TestCertificate.localhost().writeTo(dir.resolve("server.crt"), dir.resolve("server.key"));
        return b.tlsCert(dir.resolve("server.crt")).tlsKey(dir.resolve("server.key"));
    });

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void roomsWithTlsTrustRunsOverTls(@TempDir Path out) throws Exception {
        int code = execute(
                "rooms",
                "--port",
                String.valueOf(server.tcpAddress().getPort()),
                "--token-secret",
                InProcessServer.SECRET,
                "--tls-trust",
                dir.resolve("server.crt").toString(),
                "--rooms",
                "2",
                "--users",
                "6",
                "--rate",
                "5",
                "--duration",
                "1s",
                "--ramp",
                "0s",
                "--room-prefix",
                "room.cli-tls",
                "--out",
                out.toString());

        assertThat(code).as(err.toString()).isZero();
        var json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(json.path("transport").asText()).endsWith("+tls");
    }

    @Test
    void fanoutOverWebSocketWithTlsTrustPasses() {
        int code = execute(
                "fanout",
                "--target",
                "push-ws",
                "--port",
                String.valueOf(server.wsAddress().getPort()),
                "--token-secret",
                InProcessServer.SECRET,
                "--tls-trust",
                dir.resolve("server.crt").toString(),
                "--subscribers",
                "5",
                "--rate",
                "50",
                "--duration",
                "1s",
                "--room",
                "room.cli-tls-ws");

        assertThat(code).as(err.toString()).isZero();
    }

    @Test
    void aTrustFileThatIsMissingIsBadUsage() {
        int code = execute(
                "rooms",
                "--port",
                "1",
                "--token-secret",
                InProcessServer.SECRET,
                "--tls-trust",
                dir.resolve("missing.crt").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--tls-trust " + dir.resolve("missing.crt"));
    }
}
