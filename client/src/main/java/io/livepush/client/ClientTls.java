package io.livepush.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProtocols;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * The client contexts behind {@link PushClientBuilder#tls()}: TLS 1.3 and 1.2 (what the server
 * speaks), and the server's certificate checked against the trusted ones and against the host name
 * the client connects to ({@code HTTPS} endpoint identification), as a browser would.
 */
final class ClientTls {
    private ClientTls() {}

    /** Trusting the JDK's default certificate authorities. */
    static SslContext defaultTrust() {
        return build(builder());
    }

    /** Trusting only the certificates in a PEM file: a private CA's, or a self-signed server certificate. */
    static SslContext trusting(File pemCertificates) {
        return build(builder().trustManager(pemCertificates));
    }

    private static SslContextBuilder builder() {
        return SslContextBuilder.forClient()
                .protocols(SslProtocols.TLS_v1_3, SslProtocols.TLS_v1_2)
                .endpointIdentificationAlgorithm("HTTPS");
    }

    private static SslContext build(SslContextBuilder builder) {
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }
}
