package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.auth.Capability;
import io.livepush.server.auth.KeyRing;
import io.livepush.server.auth.Operation;
import io.livepush.server.auth.TokenIssuer;
import io.livepush.server.testing.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar with {@code --tls-cert} / {@code --tls-key}: BoringSSL in the jar, and files it cannot use refused at start. */
class TlsStartupIT {
    private static final String SECRET = "tls-startup-it-secret-0123456789abcdef";
    private static final TestCertificate CERTIFICATE = TestCertificate.localhost();
    private static final TestCertificate OTHER = TestCertificate.localhost();

    @TempDir
    Path dir;

    private final List<ServerProcess> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(ServerProcess::close);
    }

    @Test
    void theJarServesTlsWithBoringSslAndATlsClientConnects() throws Exception {
        CERTIFICATE.writeTo(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        ServerProcess p = track(ServerProcess.start(args(
                "--tls-cert",
                dir.resolve("tls.crt").toString(),
                "--tls-key",
                dir.resolve("tls.key").toString())));

        assertThat(p.output()).contains("TLS on the tcp and ws ports (the admin port stays plain): provider OPENSSL");
        TokenIssuer tokens = new TokenIssuer(KeyRing.of(SECRET, Map.of()), Clock.systemUTC());
        try (TestClient c = TestClient.openTls(p.tcpAddress(), TestCertificate.trusting(CERTIFICATE))) {
            c.connect(tokens.issue(
                    "tls-process",
                    Duration.ofMinutes(5),
                    List.of(new Capability(List.of("*"), EnumSet.allOf(Operation.class)))));
            assertThat(c.join("tls.process").hasJoined()).isTrue();
        }
    }

    @Test
    void onlyOneOfTheTwoFlagsEndsTheStartWithOneLine() throws Exception {
        CERTIFICATE.writeTo(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        assertRefused(List.of("--tls-cert", dir.resolve("tls.crt").toString()), "--tls-cert without --tls-key");
    }

    @Test
    void aMissingKeyFileEndsTheStartWithOneLine() throws Exception {
        CERTIFICATE.writeTo(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        assertRefused(
                List.of(
                        "--tls-cert",
                        dir.resolve("tls.crt").toString(),
                        "--tls-key",
                        dir.resolve("missing.key").toString()),
                "--tls-key " + dir.resolve("missing.key") + ": no such file");
    }

    @Test
    void aCertificateFileThatIsNotPemEndsTheStartWithOneLine() throws Exception {
        CERTIFICATE.writeTo(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        Files.writeString(dir.resolve("tls.crt"), "hello");
        assertRefused(
                List.of(
                        "--tls-cert",
                        dir.resolve("tls.crt").toString(),
                        "--tls-key",
                        dir.resolve("tls.key").toString()),
                "--tls-cert " + dir.resolve("tls.crt") + ": not a PEM file");
    }

    @Test
    void aKeyOfAnotherCertificateEndsTheStartWithOneLine() throws Exception {
        CERTIFICATE.writeTo(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        OTHER.writeTo(dir.resolve("other.crt"), dir.resolve("other.key"));
        assertRefused(
                List.of(
                        "--tls-cert",
                        dir.resolve("tls.crt").toString(),
                        "--tls-key",
                        dir.resolve("other.key").toString()),
                "does not match the certificate of --tls-cert");
    }

    /** Exit code 2, one line naming the flag, no stack trace, nothing created in the data directory. */
    private void assertRefused(List<String> tlsArgs, String expected) throws Exception {
        Path dataDir = Files.createDirectory(dir.resolve("data"));
        ServerProcess p = track(ServerProcess.launch(args(tlsArgs.toArray(String[]::new))));
        assertThat(p.awaitExit()).isEqualTo(2);
        assertThat(p.output()).contains(expected).doesNotContain("\tat ").doesNotContain("listening tcp=");
        assertThat(p.output().lines().filter(l -> l.contains("--tls-")))
                .singleElement()
                .asString()
                .contains("refusing to start");
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files).as("the store was never opened").isEmpty();
        }
    }

    private String[] args(String... tls) {
        List<String> args = new ArrayList<>(List.of(
                "--tcp-port",
                "0",
                "--ws-port",
                "0",
                "--admin-port",
                "0",
                "--data-dir",
                dir.resolve("data").toString(),
                "--token-secret",
                SECRET,
                "--api-key",
                "tls-startup-it-key",
                "--store-max-messages",
                "10000"));
        args.addAll(List.of(tls));
        return args.toArray(String[]::new);
    }

    private ServerProcess track(ServerProcess p) {
        processes.add(p);
        return p;
    }
}
