package io.livepush.loadtest.engine;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProtocols;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The harness's TLS for our server's client ports ({@code --tls-cert} on the server): TLS 1.3 and
 * 1.2, the certificate checked against the trusted ones and the host name of {@code --host}, as the
 * Java client does, so a run measures what real clients pay.
 */
public final class ClientTls {
    private ClientTls() {}

    /**
     * @param trusted a PEM file of the certificates to trust (a private CA, a self-signed server
     *                certificate), or null for the JDK's certificate authorities
     * @throws IllegalArgumentException when the file cannot be used
     */
    public static SslContext context(Path trusted) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .protocols(SslProtocols.TLS_v1_3, SslProtocols.TLS_v1_2)
                .endpointIdentificationAlgorithm("HTTPS");
        if (trusted != null) {
            if (!Files.isReadable(trusted)) {
                throw new IllegalArgumentException("--tls-trust " + trusted + ": not a readable file");
            }
            builder.trustManager(trusted.toFile());
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("--tls-trust " + trusted + ": " + e.getMessage(), e);
        }
    }
}
