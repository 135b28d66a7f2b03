package io.livepush.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.livepush.server.auth.KeyRing;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsPolicyTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private final SecretsPolicy policy = new SecretsPolicy();

    @Test
    void nonLoopbackBindWithoutSecretsRefusesToStart() {
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        policy.resolve(ServerConfig.builder().bind("0.0.0.0").build()))
                .withMessage("--bind 0.0.0.0 is not loopback: --token-secret and --api-key are required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.resolve(ServerConfig.builder()
                        .bind("0.0.0.0")
                        .tokenSecret(SECRET)
                        .build()))
                .withMessageContaining("is not loopback");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.resolve(
                        ServerConfig.builder().bind("0.0.0.0").apiKey("key").build()))
                .withMessageContaining("is not loopback");
    }

    @Test
    void nonLoopbackBindWithSecretsStartsWithThem() {
        Secrets secrets = policy.resolve(ServerConfig.builder()
                .bind("0.0.0.0")
                .tokenSecret(SECRET)
                .apiKey("key")
                .tokenKeys(Map.of("k0", SECRET.toUpperCase()))
                .build());

        assertThat(secrets).isEqualTo(new Secrets(SECRET, Map.of("k0", SECRET.toUpperCase()), "key", false));
    }

    @Test
    void loopbackGeneratesDevelopmentSecrets() {
        Secrets secrets = policy.resolve(ServerConfig.builder().build());
        Secrets other = policy.resolve(ServerConfig.builder().build());

        assertThat(secrets.generatedForDevelopment()).isTrue();
        assertThat(secrets.tokenSecret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(secrets.apiKey()).matches("[A-Za-z0-9_-]{43}");
        assertThat(secrets.tokenSecret()).isNotEqualTo(secrets.apiKey()).isNotEqualTo(other.tokenSecret());
        assertThat(secrets.tokenSecret().getBytes(StandardCharsets.UTF_8))
                .hasSizeGreaterThanOrEqualTo(KeyRing.MIN_SECRET_BYTES);
    }

    @Test
    void loopbackKeepsGivenSecretsAndGeneratesOnlyTheMissingOne() {
        Secrets secrets =
                policy.resolve(ServerConfig.builder().tokenSecret(SECRET).build());

        assertThat(secrets.tokenSecret()).isEqualTo(SECRET);
        assertThat(secrets.apiKey()).isNotBlank();
        assertThat(secrets.generatedForDevelopment()).isTrue();
        assertThat(policy.resolve(ServerConfig.builder()
                                .tokenSecret(SECRET)
                                .apiKey("key")
                                .build())
                        .generatedForDevelopment())
                .isFalse();
    }

    @Test
    void shortSecretsAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.resolve(
                        ServerConfig.builder().tokenSecret("too-short").build()))
                .withMessage("--token-secret: 9 bytes (expected: >= 32)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.resolve(
                        ServerConfig.builder().tokenKeys(Map.of("k0", "old")).build()))
                .withMessage("--token-key k0: 3 bytes (expected: >= 32)");
    }

    @Test
    void olderKeyMustNotReuseThePrimaryKeyId() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.resolve(
                        ServerConfig.builder().tokenKeys(Map.of("k1", SECRET)).build()))
                .withMessageStartingWith("--token-key k1:");
    }

    @Test
    void secretsToStringLeavesSecretsOut() {
        assertThat(new Secrets(SECRET, Map.of(), "the-api-key", false).toString())
                .doesNotContain(SECRET, "the-api-key");
    }
}
