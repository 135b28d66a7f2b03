package io.livepush.loadtest;

import io.livepush.loadtest.engine.ClientTls;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --tls} / {@code --tls-trust}: our server's client ports over TLS (its {@code --tls-cert}). */
final class TlsOptions {
    @Option(
            names = "--tls",
            description =
                    "connect to our server (push-tcp, push-ws) over TLS, trusting the JDK's certificate authorities; the certificate must name --host")
    boolean tls;

    @Option(
            names = "--tls-trust",
            paramLabel = "FILE",
            description =
                    "with TLS, trust only the certificates in this PEM file (a private CA, or the server's self-signed certificate); implies --tls")
    Path trust;

    /** The client context, or null for plain connections; {@link IllegalArgumentException} for a file it cannot use. */
    SslContext context() {
        return tls || trust != null ? ClientTls.context(trust) : null;
    }
}
