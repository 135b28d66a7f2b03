package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * The secrets the server runs with, after {@link SecretsPolicy}.
 *
 * @param tokenSecret the primary HMAC secret (key id {@link ServerConfig#tokenKeyId()})
 * @param tokenKeys older secrets that still verify, by key id
 * @param apiKey the bearer key of the admin API
 * @param developmentFile where the generated development secrets are kept (loopback only), or {@code null}
 *     when both secrets were given; with it the server prints a development token and the API key
 */
public record Secrets(String tokenSecret, Map<String, String> tokenKeys, String apiKey, Path developmentFile) {
    public Secrets {
        requireNonNull(tokenSecret, "tokenSecret");
        tokenKeys = Map.copyOf(requireNonNull(tokenKeys, "tokenKeys"));
        requireNonNull(apiKey, "apiKey");
    }

    /** Whether a secret came from the development secrets file. */
    public boolean isDevelopment() {
        return developmentFile != null;
    }

    @Override
    public String toString() {
        return "Secrets[tokenKeys=" + tokenKeys.keySet() + ", developmentFile=" + developmentFile + ']';
    }
}
