package io.livepush.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.server.testing.TestCertificate;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEM files of --tls-cert / --tls-key: what is accepted, what is refused and how, and the contexts made of them. */
class TlsFilesTest {
    private static final TestCertificate CERTIFICATE = TestCertificate.localhost();

    @TempDir
    Path dir;

    @Test
    void aMatchingPairIsReadWithItsChain() {
        CERTIFICATE.writeTo(dir.resolve("c.pem"), dir.resolve("k.pem"));

        TlsFiles.CertifiedKey files = TlsFiles.read(dir.resolve("c.pem"), dir.resolve("k.pem"));

        assertThat(files.certificate()).isEqualTo(CERTIFICATE.certificate());
        assertThat(files.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aKeyInAnotherFormatIsRefusedWithHowToConvertIt() throws Exception {
        CERTIFICATE.writeTo(dir.resolve("c.pem"), dir.resolve("k.pem"));
        Files.writeString(dir.resolve("k.pem"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsFiles.read(dir.resolve("c.pem"), dir.resolve("k.pem")))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("--tls-key " + dir.resolve("k.pem"))
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");

        Files.writeString(
                dir.resolve("k.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsFiles.read(dir.resolve("c.pem"), dir.resolve("k.pem")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("an encrypted key");
    }

    @Test
    void aKeyFileGivenAsTheCertificateIsRefusedNamingTheFlag() {
        CERTIFICATE.writeTo(dir.resolve("c.pem"), dir.resolve("k.pem"));
        assertThatThrownBy(() -> TlsFiles.read(dir.resolve("k.pem"), dir.resolve("k.pem")))
                .isInstanceOf(StartupException.class)
                .hasMessage("--tls-cert " + dir.resolve("k.pem") + ": no CERTIFICATE block (found [PRIVATE KEY])");
    }

    @Test
    void bothEnginesMakeContextsOfTls13And12Only() {
        CERTIFICATE.writeTo(dir.resolve("c.pem"), dir.resolve("k.pem"));
        TlsFiles.CertifiedKey files = TlsFiles.read(dir.resolve("c.pem"), dir.resolve("k.pem"));

        assertThat(enabledProtocols(new TlsContexts(SslProvider.JDK).build(files)))
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        Assumptions.assumeTrue(OpenSsl.isAvailable(), "netty-tcnative is not available here");
        assertThat(TlsContexts.best().provider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(enabledProtocols(new TlsContexts(SslProvider.OPENSSL).build(files)))
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    /** Less "SSLv2Hello", which Netty's OpenSSL engine lists: a hello format it accepts, not a protocol it speaks. */
    private static List<String> enabledProtocols(SslContext context) {
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
        try {
            return Arrays.stream(engine.getEnabledProtocols())
                    .filter(p -> !p.equals("SSLv2Hello"))
                    .toList();
        } finally {
            ReferenceCountUtil.release(engine);
        }
    }
}
