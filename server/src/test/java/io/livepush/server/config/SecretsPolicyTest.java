package io.livepush.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.livepush.server.auth.KeyRing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsPolicyTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private final SecretsPolicy policy = new SecretsPolicy();

    @TempDir
    Path dataDir;

    private ServerConfig.Builder config() {
        return ServerConfig.builder().dataDir(dataDir);
    }

    private Path developmentFile() {
        return dataDir.resolve(DevelopmentSecrets.FILE_NAME);
    }

    @Test
    void nonLoopbackBindWithoutSecretsRefusesToStart() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.resolve(config().bind("0.0.0.0").build()))
                .withMessage("--bind 0.0.0.0 is not loopback: --token-secret and --api-key are required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.resolve(
                        config().bind("0.0.0.0").tokenSecret(SECRET).build()))
                .withMessageContaining("is not loopback");
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        policy.resolve(config().bind("0.0.0.0").apiKey("key").build()))
                .withMessageContaining("is not loopback");
        assertThat(developmentFile()).doesNotExist();
    }

    @Test
    void nonLoopbackBindWithSecretsStartsWithThem() {
        Secrets secrets = policy.resolve(config().bind("0.0.0.0")
                .tokenSecret(SECRET)
                .apiKey("key")
                .tokenKeys(Map.of("k0", SECRET.toUpperCase()))
                .build());

        assertThat(secrets).isEqualTo(new Secrets(SECRET, Map.of("k0", SECRET.toUpperCase()), "key", null));
        assertThat(developmentFile()).doesNotExist();
    }

    @Test
    void nonLoopbackBindNeverUsesTheDevelopmentSecretsFile() {
        Secrets development = policy.resolve(config().build());
        assertThat(developmentFile()).exists();

        assertThatIllegalArgumentException()
                .as("the file stands in for no missing secret off loopback")
                .isThrownBy(() -> policy.resolve(config().bind("0.0.0.0").build()))
                .withMessageContaining("is not loopback");
        Secrets real = policy.resolve(
                config().bind("0.0.0.0").tokenSecret(SECRET).apiKey("key").build());
        assertThat(real.isDevelopment()).isFalse();
        assertThat(real.tokenSecret()).isEqualTo(SECRET).isNotEqualTo(development.tokenSecret());
    }

    @Test
    void loopbackGeneratesDevelopmentSecretsAndKeepsThemInTheDataDirectory() {
        Secrets secrets = policy.resolve(config().build());

        assertThat(secrets.isDevelopment()).isTrue();
        assertThat(secrets.developmentFile()).isEqualTo(developmentFile().toAbsolutePath());
        assertThat(secrets.tokenSecret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(secrets.apiKey()).matches("[A-Za-z0-9_-]{43}");
        assertThat(secrets.tokenSecret()).isNotEqualTo(secrets.apiKey());
        assertThat(secrets.tokenSecret().getBytes(StandardCharsets.UTF_8))
                .hasSizeGreaterThanOrEqualTo(KeyRing.MIN_SECRET_BYTES);
    }

    @Test
    void aRestartOnLoopbackKeepsTheDevelopmentSecrets() {
        Secrets first = policy.resolve(config().build());
        Secrets second = new SecretsPolicy().resolve(config().build());

        assertThat(second).isEqualTo(first);
    }

    @Test
    void theDevelopmentSecretsFileIsTheOwnersAloneAndNothingElseIsLeftBehind() throws Exception {
        policy.resolve(config().build());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(developmentFile())))
                .isEqualTo("rw-------");
        try (var files = Files.list(dataDir)) {
            assertThat(files).containsExactly(developmentFile());
        }
    }

    @Test
    void deletingTheDevelopmentSecretsFileRotatesThem() throws Exception {
        Secrets first = policy.resolve(config().build());
        Files.delete(developmentFile());

        Secrets second = policy.resolve(config().build());

        assertThat(second.tokenSecret()).isNotEqualTo(first.tokenSecret());
        assertThat(second.apiKey()).isNotEqualTo(first.apiKey());
    }

    @Test
    void aDataDirectoryThatDoesNotExistYetIsCreated() {
        Path nested = dataDir.resolve("a").resolve("b");

        Secrets secrets = policy.resolve(ServerConfig.builder().dataDir(nested).build());

        assertThat(secrets.developmentFile()).isEqualTo(nested.resolve(DevelopmentSecrets.FILE_NAME));
        assertThat(secrets.developmentFile()).exists();
    }

    @Test
    void aCorruptDevelopmentSecretsFileEndsTheStartNamingIt() throws Exception {
        Files.writeString(developmentFile(), "token-secret=short\n");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.resolve(config().build()))
                .withMessage("cannot use the development secrets in "
                        + developmentFile().toAbsolutePath()
                        + " (--data-dir): unreadable content (expected: token-secret of at least 32 bytes and"
                        + " api-key); delete the file for new ones");
        assertThat(Files.readString(developmentFile()))
                .as("left for the operator to look at")
                .isEqualTo("token-secret=short\n");
    }

    @Test
    void aDevelopmentSecretsPathThatIsADirectoryEndsTheStartNamingIt() throws Exception {
        Files.createDirectory(developmentFile());

        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.resolve(config().build()))
                .withMessageStartingWith("cannot use the development secrets in "
                        + developmentFile().toAbsolutePath() + " (--data-dir): ");
    }

    @Test
    void loopbackKeepsGivenSecretsAndTakesOnlyTheMissingOneFromTheFile() {
        Secrets secrets = policy.resolve(config().tokenSecret(SECRET).build());

        assertThat(secrets.tokenSecret()).isEqualTo(SECRET);
        assertThat(secrets.apiKey()).isNotBlank();
        assertThat(secrets.isDevelopment()).isTrue();
        assertThat(policy.resolve(config().apiKey("key").build()).tokenSecret())
                .as("the file's token secret stands in for a missing --token-secret")
                .isNotEqualTo(SECRET)
                .hasSize(43);
    }

    @Test
    void loopbackWithBothSecretsNeitherReadsNorWritesTheFile() {
        Secrets secrets =
                policy.resolve(config().tokenSecret(SECRET).apiKey("key").build());

        assertThat(secrets.isDevelopment()).isFalse();
        assertThat(developmentFile()).doesNotExist();
    }

    @Test
    void shortSecretsAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> policy.resolve(config().tokenSecret("too-short").build()))
                .withMessage("--token-secret: 9 bytes (expected: >= 32)");
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        policy.resolve(config().tokenKeys(Map.of("k0", "old")).build()))
                .withMessage("--token-key k0: 3 bytes (expected: >= 32)");
        assertThat(developmentFile()).as("refused before the file is made").doesNotExist();
    }

    @Test
    void olderKeyMustNotReuseThePrimaryKeyId() {
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        policy.resolve(config().tokenKeys(Map.of("k1", SECRET)).build()))
                .withMessageStartingWith("--token-key k1:");
    }

    @Test
    void secretsToStringLeavesSecretsOut() {
        assertThat(new Secrets(SECRET, Map.of(), "the-api-key", developmentFile()).toString())
                .doesNotContain(SECRET, "the-api-key");
    }
}
