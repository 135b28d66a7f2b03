package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.Connected;
import io.livepush.server.testing.TestCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PushClientBuilder#tls} against a server with {@code --tls-cert}: a client trusting the
 * server's certificate connects and receives; the certificate is checked against the trusted ones and
 * against the host name the client was given.
 */
class TlsClientIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** For the name {@code localhost} only: a client that connects to 127.0.0.1 must refuse it. */
    private static final TestCertificate CERTIFICATE = TestCertificate.forNames("dns:localhost");

    private static final TestCertificate.PemFiles FILES = CERTIFICATE.writeToTempDir();
    private static final Path CERT = FILES.cert();

    @RegisterExtension
    static final TestServer SERVER = new TestServer(b -> b.tlsCert(FILES.cert()).tlsKey(FILES.key()));

    @AfterAll
    static void deleteFiles() {
        FILES.delete();
    }

    @Test
    void aClientTrustingTheServerCertificateConnectsAndReceives() throws Exception {
        Recorder rx = new Recorder();
        try (PushClient client = SERVER.client("tls-client", rx)
                .address("localhost", SERVER.tcpAddress().getPort())
                .tls(CERT)
                .build()) {
            Connected connected = client.connect().get(10, TimeUnit.SECONDS);
            assertThat(connected.getUserId()).isEqualTo("tls-client");
            client.join("tls.client.room").get(10, TimeUnit.SECONDS);

            client.publish("tls.client.room", "chat", "hello".getBytes(StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);

            Recorder.await("the message", WAIT, () -> rx.count("tls.client.room") == 1);
            assertThat(rx.errors).isEmpty();
        }
    }

    @Test
    void theJdkDefaultTrustRefusesASelfSignedCertificate() throws Exception {
        Recorder rx = new Recorder();
        try (PushClient client = SERVER.client("tls-untrusted", rx)
                .address("localhost", SERVER.tcpAddress().getPort())
                .tls()
                .build()) {
            client.connect();

            Recorder.await("a handshake error", WAIT, () -> !rx.errors.isEmpty());
            assertThat(rx.errors.get(0)).isInstanceOf(SSLHandshakeException.class);
            assertThat(rx.states).doesNotContain(ConnectionState.CONNECTED);
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostNameIsRefused() throws Exception {
        Recorder rx = new Recorder();
        try (PushClient client = SERVER.client("tls-wrong-name", rx) // connects to 127.0.0.1
                .tls(CERT)
                .build()) {
            client.connect();

            Recorder.await("a handshake error", WAIT, () -> !rx.errors.isEmpty());
            assertThat(rx.errors.get(0))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasStackTraceContaining("127.0.0.1"); // the name checked, not the trust
            assertThat(rx.states).doesNotContain(ConnectionState.CONNECTED);
        }
    }
}
