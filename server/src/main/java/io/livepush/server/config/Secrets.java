package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The secrets the server runs with, after {@link SecretsPolicy}.
 *
 * @param tokenSecret the primary HMAC secret (key id {@link ServerConfig#tokenKeyId()})
 * @param tokenKeys older secrets that still verify, by key id
 * @param apiKey the bearer key of the admin API
 * @param generatedForDevelopment whether a secret was made up at start-up (loopback only); the
 *     server then prints a development token and the API key
 */
public record Secrets(
        String tokenSecret, Map<String, String> tokenKeys, String apiKey, boolean generatedForDevelopment) {
    public Secrets {
        requireNonNull(tokenSecret, "tokenSecret");
        tokenKeys = Map.copyOf(requireNonNull(tokenKeys, "tokenKeys"));
        requireNonNull(apiKey, "apiKey");
    }

    @Override
    public String toString() {
        return "Secrets[tokenKeys=" + tokenKeys.keySet() + ", generatedForDevelopment=" + generatedForDevelopment + ']';
    }
}
