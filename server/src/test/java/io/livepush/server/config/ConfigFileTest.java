package io.livepush.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

class ConfigFileTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    /** Every flag with a value other than its default, as the file's key and the flag's argument. */
    private static Map<String, String> everyFlag() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("bind", "0.0.0.0");
        values.put("tcp-port", "0");
        values.put("ws-port", "8081");
        values.put("admin-port", "9091");
        values.put("data-dir", "/var/lib/push");
        values.put("token-secret", SECRET);
        values.put("token-key-id", "k2");
        values.put("token-key", "k1=" + SECRET.toUpperCase());
        values.put("api-key", "key");
        values.put("max-frame-bytes", "1024");
        values.put("token-leeway-s", "5");
        values.put("heartbeat-ms", "1000");
        values.put("handshake-timeout-ms", "2000");
        values.put("retention-max-messages", "10");
        values.put("retention-max-age-s", "60");
        values.put("store-max-messages", "5000000000");
        values.put("store-average-message-bytes", "512");
        values.put("store-max-channels", "4000");
        values.put("channel-idle-s", "90");
        values.put("applet-max-entries", "300");
        values.put("sync-max-items", "6000");
        values.put("sync-max-spaces", "70");
        values.put("max-connections", "100");
        values.put("max-subscriptions", "8");
        values.put("home-threads", "2");
        values.put("io-threads", "3");
        values.put("transport", "nio");
        values.put("home-queue-capacity", "16");
        values.put("write-buffer-low-bytes", "100");
        values.put("write-buffer-high-bytes", "200");
        values.put("slow-consumer-timeout-ms", "3000");
        values.put("history-limit", "50");
        values.put("replay-page-size", "16");
        values.put("idempotency-window-s", "30");
        values.put("dev-token-ttl-s", "600");
        values.put("data-max-item-bytes", "4096");
        values.put("data-max-items-per-request", "20");
        values.put("socket-send-buffer-bytes", "32768");
        values.put("max-connections-per-ip", "500");
        values.put("max-connections-per-user", "20");
        values.put("connect-rate-per-ip", "50");
        values.put("publish-rate-per-connection", "30");
        values.put("publish-rate-per-user", "40");
        values.put("admin-max-connections", "32");
        values.put("allowed-origins", "https://a.example");
        values.put("tls-cert", "/etc/push/tls.crt");
        values.put("tls-key", "/etc/push/tls.key");
        values.put("engine", "redis");
        values.put("redis-url", "redis://127.0.0.1:6380");
        values.put("redis-tls-ca", "/etc/push/redis-ca.pem");
        values.put("node-id", "node-a");
        values.put("redis-ack-replicas", "1");
        values.put("log-format", "json");
        values.put("proxy-connect-url", "http://backend:8000/connect");
        values.put("proxy-join-url", "http://backend:8000/join");
        values.put("proxy-subscribe-url", "http://backend:8000/subscribe");
        values.put("proxy-publish-url", "http://backend:8000/publish");
        values.put("proxy-refresh-url", "http://backend:8000/refresh");
        values.put("proxy-timeout-ms", "250");
        values.put("proxy-max-in-flight", "64");
        values.put("proxy-header", "Authorization: Bearer x");
        return values;
    }

    @Test
    void everyFlagCanBeSetInTheFileWithTheSameEffect() throws IOException {
        Map<String, String> values = everyFlag();
        assertThat(values.keySet())
                .as("the test covers every flag")
                .containsExactlyInAnyOrderElementsOf(CommandLineOptions.fileKeys(
                        CommandLineOptions.newCommandLine(Map.of()).getCommandSpec()));
        StringBuilder yaml = new StringBuilder();
        List<String> args = new ArrayList<>();
        values.forEach((key, value) -> {
            yaml.append(key).append(": '").append(value).append("'\n");
            args.add("--" + key);
            args.add(value);
        });

        ServerConfig fromFile = CommandLineOptions.parse(
                Map.of(), "--config", write(yaml.toString()).toString());

        assertThat(fromFile).isEqualTo(CommandLineOptions.parse(Map.of(), args.toArray(String[]::new)));
    }

    @Test
    void listsAndMappingsSetRepeatableFlags() throws IOException {
        Path file = write("""
                allowed-origins: [https://a.example, https://b.example]
                token-key:
                  k0: %s
                  k9: %s
                """.formatted(SECRET, SECRET.toUpperCase()));

        ServerConfig config = CommandLineOptions.parse(Map.of(), "--config", file.toString());

        assertThat(config.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(config.tokenKeys()).isEqualTo(Map.of("k0", SECRET, "k9", SECRET.toUpperCase()));
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = write("tcp-port: 7001\nws-port: 7002\nadmin-port: 7003\n");
        Map<String, String> env =
                Map.of("PUSH_CONFIG", file.toString(), "PUSH_TCP_PORT", "7101", "PUSH_WS_PORT", "7102");

        ServerConfig config = CommandLineOptions.parse(env, "--tcp-port", "7201");

        assertThat(config.tcpPort()).as("flag").isEqualTo(7201);
        assertThat(config.wsPort()).as("environment").isEqualTo(7102);
        assertThat(config.adminPort()).as("file").isEqualTo(7003);
        assertThat(config.heartbeatMs()).as("default").isEqualTo(ServerConfig.DEFAULT_HEARTBEAT_MS);
    }

    @Test
    void unknownKeyNamesItsLineAndTheClosestKey() throws IOException {
        Path file = write("tcp-port: 7001\n\ntcp-prot: 7002\n");

        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--config", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config file " + file + " line 3: unknown key 'tcp-prot' (did you mean 'tcp-port'?)");
    }

    @Test
    void theFileCannotNameAnotherFile() throws IOException {
        Path file = write("config: other.yaml\n");

        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--config", file.toString()))
                .hasMessageStartingWith("config file " + file + " line 1: unknown key 'config'");
    }

    @Test
    void valueOutOfRangeNamesKeyLineAndTheFlagsOwnCheck() throws IOException {
        Path file = write("tcp-port: 7001\nmax-frame-bytes: 0\n");

        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--config", file.toString()))
                .isInstanceOf(ParameterException.class)
                .hasMessage("config file " + file + " line 2: max-frame-bytes: 0 (expected: > 0)");
        assertThat(CommandLineOptions.parse(Map.of(), "--config", file.toString(), "--max-frame-bytes", "10")
                        .maxFrameBytes())
                .as("a flag that overrides the bad value")
                .isEqualTo(10);
    }

    @Test
    void valueThatDoesNotParseNamesKeyAndLine() throws IOException {
        Path file = write("# ports\ntcp-port: seven\n");

        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--config", file.toString()))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("config file " + file + " line 2: ")
                .hasMessageContaining("'seven'");
    }

    @Test
    void brokenYamlIsOneLineWithItsLine() throws IOException {
        Path file = write("tcp-port: 7001\nws-port: [8080\n");

        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--config", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config file " + file + " line ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void duplicateKeyIsRefused() throws IOException {
        Path file = write("tcp-port: 7001\ntcp-port: 7002\n");

        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--config", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tcp-port")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void missingFileIsOneClearLine() {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--config", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config file " + file + ": cannot read it");
    }

    @Test
    void closestKeyIsOfferedOnlyWhenClose() {
        assertThat(ClosestKey.suggestion("tcp-prot", List.of("tcp-port", "ws-port")))
                .contains("tcp-port");
        assertThat(ClosestKey.suggestion("colour", List.of("tcp-port", "ws-port")))
                .isEmpty();
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("push.yaml"), yaml, StandardCharsets.UTF_8);
    }
}
