package io.livepush.server.bootstrap;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProtocols;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Server {@link SslContext}s of the client ports: TLS 1.3 and 1.2 only (older versions have known
 * weaknesses, and every client we serve speaks 1.2), on BoringSSL when netty-tcnative loads (faster
 * handshakes and bulk encryption, less garbage), else on the JDK's engine.
 */
final class TlsContexts {
    static final List<String> PROTOCOLS = List.of(SslProtocols.TLS_v1_3, SslProtocols.TLS_v1_2);

    private final SslProvider provider;

    TlsContexts(SslProvider provider) {
        this.provider = provider;
    }

    /** BoringSSL where netty-tcnative is available (linux-x86_64 ships with the server), else the JDK. */
    static TlsContexts best() {
        return new TlsContexts(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
    }

    SslProvider provider() {
        return provider;
    }

    /** For the start-up line: which engine, and its version. */
    String describe() {
        if (provider == SslProvider.OPENSSL) {
            return "OPENSSL (" + OpenSsl.versionString() + ")";
        }
        return OpenSsl.isAvailable()
                ? "JDK"
                : "JDK (netty-tcnative unavailable: " + OpenSsl.unavailabilityCause() + ")";
    }

    /** @throws StartupException when the engine refuses the key or the chain */
    SslContext build(TlsFiles.CertifiedKey files) {
        try {
            return SslContextBuilder.forServer(files.key(), files.chain())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new StartupException("--tls-cert/--tls-key: the TLS engine refuses them (" + e.getMessage() + ")");
        }
    }
}
