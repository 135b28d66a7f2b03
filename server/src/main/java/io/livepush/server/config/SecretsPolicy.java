package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import io.livepush.server.auth.KeyRing;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Decides the secrets to start with. A server reachable from other machines (any bind address but
 * loopback) refuses to start without a real token secret and API key, and never reads the development
 * secrets file; on loopback, missing ones come from that file in the data directory (generated at the
 * first start), so that a bare {@code java -jar} just works on a developer's machine, restarts included.
 */
public final class SecretsPolicy {
    private static final int GENERATED_SECRET_BYTES = 32;

    private final SecureRandom random;

    public SecretsPolicy(SecureRandom random) {
        this.random = requireNonNull(random, "random");
    }

    public SecretsPolicy() {
        this(new SecureRandom());
    }

    /**
     * @throws IllegalArgumentException if the server must not start with these secrets, or the development
     *     secrets file cannot be used
     */
    public Secrets resolve(ServerConfig config) {
        requireNonNull(config, "config");
        String tokenSecret = config.tokenSecret();
        String apiKey = config.apiKey();
        if (!config.isLoopbackBind() && (isMissing(tokenSecret) || isMissing(apiKey))) {
            throw new IllegalArgumentException(
                    "--bind " + config.bind() + " is not loopback: --token-secret and --api-key are required");
        }
        if (config.tokenKeys().containsKey(config.tokenKeyId())) {
            throw new IllegalArgumentException("--token-key " + config.tokenKeyId()
                    + ": is the key id of --token-secret (expected: another key id)");
        }
        if (!isMissing(tokenSecret)) {
            checkLength("--token-secret", tokenSecret);
        }
        config.tokenKeys().forEach((kid, secret) -> checkLength("--token-key " + kid, secret));
        if (!isMissing(tokenSecret) && !isMissing(apiKey)) {
            return new Secrets(tokenSecret, config.tokenKeys(), apiKey, null);
        }
        DevelopmentSecrets development = DevelopmentSecrets.loadOrCreate(config.dataDir(), this::generate);
        return new Secrets(
                isMissing(tokenSecret) ? development.tokenSecret() : tokenSecret,
                config.tokenKeys(),
                isMissing(apiKey) ? development.apiKey() : apiKey,
                development.file());
    }

    private static boolean isMissing(String secret) {
        return secret == null || secret.isBlank();
    }

    // base64url of 32 random bytes: 43 characters, safe in a shell, a URL and an HTTP header.
    private String generate() {
        byte[] bytes = new byte[GENERATED_SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void checkLength(String flag, String secret) {
        int length = secret.getBytes(StandardCharsets.UTF_8).length;
        if (length < KeyRing.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    flag + ": " + length + " bytes (expected: >= " + KeyRing.MIN_SECRET_BYTES + ')');
        }
    }
}
