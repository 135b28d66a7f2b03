package io.livepush.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.server.proxy.ProxyConfig;
import io.livepush.server.proxy.ProxyHook;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

class CommandLineOptionsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void noFlagsAndNoEnvironmentGiveTheDefaults() {
        assertThat(CommandLineOptions.parse(Map.of()))
                .isEqualTo(ServerConfig.builder().build());
    }

    @Test
    void flagsOverrideDefaults() {
        ServerConfig config = CommandLineOptions.parse(
                Map.of(),
                "--bind",
                "0.0.0.0",
                "--tcp-port",
                "0",
                "--ws-port",
                "8081",
                "--admin-port",
                "9091",
                "--data-dir",
                "/var/lib/push",
                "--token-secret",
                SECRET,
                "--token-key-id",
                "k2",
                "--token-key",
                "k1=" + SECRET.toUpperCase(),
                "--token-key",
                "k0=" + SECRET + "==",
                "--api-key",
                "key",
                "--max-frame-bytes",
                "1024",
                "--token-leeway-s",
                "5",
                "--heartbeat-ms",
                "1000",
                "--handshake-timeout-ms",
                "2000",
                "--retention-max-messages",
                "10",
                "--retention-max-age-s",
                "60",
                "--store-max-messages",
                "5000000000",
                "--store-average-message-bytes",
                "512",
                "--store-max-channels",
                "4000",
                "--channel-idle-s",
                "90",
                "--applet-max-entries",
                "300",
                "--sync-max-items",
                "6000",
                "--sync-max-spaces",
                "70",
                "--max-connections",
                "100",
                "--max-subscriptions",
                "8",
                "--home-threads",
                "2",
                "--io-threads",
                "3",
                "--transport",
                "io_uring",
                "--home-queue-capacity",
                "16",
                "--write-buffer-low-bytes",
                "100",
                "--write-buffer-high-bytes",
                "200",
                "--slow-consumer-timeout-ms",
                "3000",
                "--history-limit",
                "50",
                "--replay-page-size",
                "16",
                "--idempotency-window-s",
                "30",
                "--dev-token-ttl-s",
                "600",
                "--data-max-item-bytes",
                "4096",
                "--data-max-items-per-request",
                "20",
                "--socket-send-buffer-bytes",
                "32768",
                "--max-connections-per-ip",
                "500",
                "--max-connections-per-user",
                "20",
                "--connect-rate-per-ip",
                "50",
                "--publish-rate-per-connection",
                "30",
                "--publish-rate-per-user",
                "40",
                "--admin-max-connections",
                "32",
                "--allowed-origins",
                "https://a.example,https://b.example",
                "--tls-cert",
                "/etc/push/tls.crt",
                "--tls-key",
                "/etc/push/tls.key",
                "--engine",
                "redis",
                "--redis-url",
                "redis://127.0.0.1:6380",
                "--node-id",
                "node-a",
                "--redis-ack-replicas",
                "1",
                "--redis-tls-ca",
                "/etc/push/redis-ca.pem",
                "--proxy-connect-url",
                "http://backend:8000/connect",
                "--proxy-publish-url",
                "https://backend/publish",
                "--proxy-timeout-ms",
                "250",
                "--proxy-max-in-flight",
                "64",
                "--proxy-header",
                "Authorization: Bearer x",
                "--proxy-header",
                "X-Env: test");

        assertThat(config)
                .isEqualTo(new ServerConfig(
                        "0.0.0.0",
                        0,
                        8081,
                        9091,
                        Path.of("/var/lib/push"),
                        SECRET,
                        "k2",
                        Map.of("k1", SECRET.toUpperCase(), "k0", SECRET + "=="),
                        "key",
                        1024,
                        5,
                        1000,
                        2000,
                        10,
                        60,
                        5_000_000_000L,
                        512,
                        4000,
                        90,
                        300,
                        6000,
                        70,
                        100,
                        8,
                        2,
                        3,
                        ServerConfig.IoTransport.IO_URING,
                        16,
                        100,
                        200,
                        3000,
                        50,
                        16,
                        30,
                        600,
                        4096,
                        20,
                        32768,
                        500,
                        20,
                        50,
                        30,
                        40,
                        32,
                        List.of("https://a.example", "https://b.example"),
                        Path.of("/etc/push/tls.crt"),
                        Path.of("/etc/push/tls.key"),
                        ServerConfig.Engine.REDIS,
                        "redis://127.0.0.1:6380",
                        "node-a",
                        1,
                        Path.of("/etc/push/redis-ca.pem"),
                        ServerConfig.builder().build().namespaces(),
                        new ProxyConfig(
                                Map.of(
                                        ProxyHook.CONNECT,
                                        URI.create("http://backend:8000/connect"),
                                        ProxyHook.PUBLISH,
                                        URI.create("https://backend/publish")),
                                Duration.ofMillis(250),
                                64,
                                List.of(
                                        new ProxyConfig.Header("Authorization", "Bearer x"),
                                        new ProxyConfig.Header("X-Env", "test")))));
    }

    @Test
    void redisEngineWithoutAUrlNamesTheFlag() {
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--engine", "redis"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--redis-url: missing");
    }

    @Test
    void proxyValuesOutOfRangeNameTheirFlags() {
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--proxy-timeout-ms", "0"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--proxy-timeout-ms: 0 (expected: > 0)");
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--proxy-join-url", "ftp://backend/join"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--proxy-join-url: 'ftp://backend/join'");
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--proxy-header", "no colon"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--proxy-header: 'no colon'");
    }

    @Test
    void proxyUrlComesFromTheEnvironment() {
        assertThat(CommandLineOptions.parse(Map.of("PUSH_PROXY_SUBSCRIBE_URL", "http://b/sub"))
                        .proxy()
                        .urls())
                .isEqualTo(Map.of(ProxyHook.SUBSCRIBE, URI.create("http://b/sub")));
    }

    @Test
    void unknownEngineNamesTheChoices() {
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--engine", "mongo"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--engine: 'mongo' (expected: embedded or redis)");
    }

    @Test
    void environmentFillsWhatFlagsLeaveOut() {
        Map<String, String> env = Map.of(
                "PUSH_TCP_PORT", "7171",
                "PUSH_TOKEN_LEEWAY_S", "3",
                "PUSH_TOKEN_SECRET", SECRET,
                "PUSH_TOKEN_KEY", "k0=" + SECRET + ",k9=" + SECRET.toUpperCase(),
                "PUSH_ADMIN_PORT", "9191");

        ServerConfig config = CommandLineOptions.parse(env, "--admin-port", "9292");

        assertThat(config.tcpPort()).isEqualTo(7171);
        assertThat(config.tokenLeewaySeconds()).isEqualTo(3);
        assertThat(config.tokenSecret()).isEqualTo(SECRET);
        assertThat(config.tokenKeys()).isEqualTo(Map.of("k0", SECRET, "k9", SECRET.toUpperCase()));
        assertThat(config.adminPort()).as("the flag wins over the environment").isEqualTo(9292);
        assertThat(config.wsPort()).isEqualTo(ServerConfig.DEFAULT_WS_PORT);
    }

    @Test
    void capacityFlagsComeFromTheEnvironmentToo() {
        Map<String, String> env = Map.of(
                "PUSH_STORE_MAX_CHANNELS", "123",
                "PUSH_CHANNEL_IDLE_S", "5",
                "PUSH_APPLET_MAX_ENTRIES", "456",
                "PUSH_SYNC_MAX_ITEMS", "789",
                "PUSH_SYNC_MAX_SPACES", "12");

        ServerConfig config = CommandLineOptions.parse(env, "--sync-max-spaces", "34");

        assertThat(config.storeMaxChannels()).isEqualTo(123);
        assertThat(config.channelIdleSeconds()).isEqualTo(5);
        assertThat(config.appletMaxEntries()).isEqualTo(456);
        assertThat(config.syncMaxItems()).isEqualTo(789);
        assertThat(config.syncMaxSpaces())
                .as("the flag wins over the environment")
                .isEqualTo(34);
    }

    @Test
    void tlsFilesComeFromTheEnvironmentToo() {
        ServerConfig config = CommandLineOptions.parse(
                Map.of("PUSH_TLS_CERT", "/run/tls/cert.pem", "PUSH_TLS_KEY", "/run/tls/key.pem"));

        assertThat(config.tlsCert()).isEqualTo(Path.of("/run/tls/cert.pem"));
        assertThat(config.tlsKey()).isEqualTo(Path.of("/run/tls/key.pem"));
        assertThat(CommandLineOptions.parse(Map.of()).tlsCert())
                .as("plain by default")
                .isNull();
    }

    @Test
    void flagsOutOfRangeAreRejectedNamingTheFlag() {
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--applet-max-entries", "0"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--applet-max-entries: 0 (expected: > 0)");
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--sync-max-items", "-1"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--sync-max-items: -1 (expected: > 0)");
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of("PUSH_SYNC_MAX_SPACES", "0")))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--sync-max-spaces: 0 (expected: > 0)");
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--channel-idle-s", "0"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--channel-idle-s: 0 (expected: > 0)");
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--store-max-channels", "4294967296"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--store-max-channels: 4294967296 (expected: 1..4294967295)");
        assertThatThrownBy(() -> CommandLineOptions.parse(
                        Map.of(), "--write-buffer-low-bytes", "300", "--write-buffer-high-bytes", "200"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--write-buffer-high-bytes: 200 (expected: >= --write-buffer-low-bytes 300)");
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--sync-max-items", "many"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--sync-max-items")
                .hasMessageContaining("many");
    }

    @Test
    void helpListsTheCapacityFlagsWithTheirDefaults() {
        String usage = CommandLineOptions.newCommandLine(Map.of())
                .getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");

        assertThat(usage)
                .contains(
                        "--store-max-channels=N", "PUSH_STORE_MAX_CHANNELS. Default: 1000000.",
                        "--channel-idle-s=SECONDS", "PUSH_CHANNEL_IDLE_S. Default: 60.",
                        "--applet-max-entries=N", "PUSH_APPLET_MAX_ENTRIES. Default: 100000.",
                        "--sync-max-items=N", "PUSH_SYNC_MAX_ITEMS. Default: 250000.",
                        "--sync-max-spaces=N", "PUSH_SYNC_MAX_SPACES. Default: 50000.");
    }

    @Test
    void everyOptionNamesItsEnvironmentVariableInItsDescription() {
        CommandLine cmd = CommandLineOptions.newCommandLine(Map.of());

        for (OptionSpec option : cmd.getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                assertThat(String.join(" ", option.description()))
                        .as(option.longestName())
                        .containsPattern("Env: " + EnvironmentDefaults.variableName(option) + "\\b");
            }
        }
        assertThat(EnvironmentDefaults.variableName(cmd.getCommandSpec().findOption("--token-leeway-s")))
                .isEqualTo("PUSH_TOKEN_LEEWAY_S");
    }

    @Test
    void helpShowsDefaultsButNeverSecrets() {
        CommandLine cmd =
                CommandLineOptions.newCommandLine(Map.of("PUSH_TOKEN_SECRET", SECRET, "PUSH_API_KEY", "the-api-key"));

        String usage = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(usage)
                .contains("--tcp-port=PORT", "PUSH_TCP_PORT. Default: 7070.", "PUSH_BIND. Default: 127.0.0.1.");
        assertThat(usage).doesNotContain(SECRET, "the-api-key");
    }

    @Test
    void valueThatDoesNotParseIsRejected() {
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--tcp-port", "seventy"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--tcp-port")
                .hasMessageContaining("seventy");
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of("PUSH_HEARTBEAT_MS", "soon")))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--heartbeat-ms");
    }

    @Test
    void portAndLimitOutOfRangeAreRejectedNamingTheFlag() {
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--tcp-port", "70000"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--tcp-port: 70000 (expected: 0..65535, 0 = any free port)");
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--max-subscriptions", "0"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--max-subscriptions: 0 (expected: > 0)");
    }

    @Test
    void unknownFlagIsRejected() {
        assertThatThrownBy(() -> CommandLineOptions.parse(Map.of(), "--tcp-prot", "1"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--tcp-prot");
    }

    @Test
    void logFormatComesFromTheFlagOrTheEnvironmentInAnyCase() {
        assertThat(options(Map.of()).logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(options(Map.of(), "--log-format", "json").logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(options(Map.of("PUSH_LOG_FORMAT", "JSON")).logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(options(Map.of("PUSH_LOG_FORMAT", "json"), "--log-format", "text")
                        .logFormat())
                .as("the flag wins over the environment")
                .isEqualTo(LogFormat.TEXT);
    }

    @Test
    void unknownLogFormatNamesTheFlagAndTheChoices() {
        CommandLineOptions options = options(Map.of(), "--log-format", "xml");

        assertThatThrownBy(options::logFormat)
                .isInstanceOf(ParameterException.class)
                .hasMessage("--log-format: 'xml' (expected: text or json)");
    }

    @Test
    void helpListsTheLogFormatAndTheLogLevelVariable() {
        String usage = CommandLineOptions.newCommandLine(Map.of())
                .getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");

        assertThat(usage)
                .contains("--log-format=text|json", "Env: PUSH_LOG_FORMAT. Default: text.")
                .contains("PUSH_LOG_LEVEL=TRACE|DEBUG|INFO|WARN|ERROR")
                .contains("Default: INFO.");
    }

    private static CommandLineOptions options(Map<String, String> env, String... args) {
        CommandLine cmd = CommandLineOptions.newCommandLine(env);
        cmd.parseArgs(args);
        return cmd.getCommand();
    }

    @Test
    void helpAndVersionAreRecognised() {
        CommandLine cmd = CommandLineOptions.newCommandLine(Map.of());

        assertThat(cmd.parseArgs("--help").isUsageHelpRequested()).isTrue();
        assertThat(cmd.getCommandSpec().version()).singleElement().asString().startsWith("push-server ");
    }
}
