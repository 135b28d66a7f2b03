package io.livepush.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void defaults() {
        ServerConfig config = ServerConfig.builder().build();

        assertThat(config.bind()).isEqualTo("127.0.0.1");
        assertThat(config.tcpPort()).isEqualTo(7070);
        assertThat(config.wsPort()).isEqualTo(8080);
        assertThat(config.adminPort()).isEqualTo(9090);
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.tokenSecret()).isNull();
        assertThat(config.tokenKeyId()).isEqualTo("k1");
        assertThat(config.tokenKeys()).isEmpty();
        assertThat(config.apiKey()).isNull();
        assertThat(config.maxFrameBytes()).isEqualTo(65536);
        assertThat(config.tokenLeewaySeconds()).isZero();
        assertThat(config.heartbeatMs()).isEqualTo(25_000);
        assertThat(config.handshakeTimeoutMs()).isEqualTo(10_000);
        assertThat(config.retentionMaxMessages()).isEqualTo(10_000);
        assertThat(config.retentionMaxAgeSeconds()).isEqualTo(86_400);
        assertThat(config.storeMaxMessages()).isEqualTo(1_000_000);
        assertThat(config.storeAverageMessageBytes()).isEqualTo(256);
        assertThat(config.storeMaxChannels()).isEqualTo(1_000_000);
        assertThat(config.channelIdleSeconds()).isEqualTo(60);
        assertThat(config.appletMaxEntries()).isEqualTo(100_000);
        assertThat(config.syncMaxItems()).isEqualTo(250_000);
        assertThat(config.syncMaxSpaces()).isEqualTo(50_000);
        assertThat(config.maxConnections()).isZero();
        assertThat(config.maxSubscriptions()).isEqualTo(64);
        assertThat(config.homeThreads()).isZero();
        assertThat(config.ioThreads()).isZero();
        assertThat(config.homeQueueCapacity()).isEqualTo(65536);
        assertThat(config.writeBufferLowBytes()).isEqualTo(256 * 1024);
        assertThat(config.writeBufferHighBytes()).isEqualTo(1024 * 1024);
        assertThat(config.slowConsumerTimeoutMs()).isEqualTo(10_000);
        assertThat(config.historyLimit()).isEqualTo(1000);
        assertThat(config.replayPageSize()).isEqualTo(128);
        assertThat(config.idempotencyWindowSeconds()).isEqualTo(300);
        assertThat(config.devTokenTtlSeconds()).isEqualTo(86_400);
    }

    @Test
    void outOfRangeValuesNameTheirField() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().tcpPort(65536).build())
                .withMessage("tcpPort: 65536 (expected: 0..65535, 0 = any free port)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().adminPort(-1).build())
                .withMessageStartingWith("adminPort: -1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().maxFrameBytes(0).build())
                .withMessage("maxFrameBytes: 0 (expected: > 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().tokenLeewaySeconds(-1).build())
                .withMessage("tokenLeewaySeconds: -1 (expected: >= 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().bind(" ").build())
                .withMessageStartingWith("bind:");
    }

    @Test
    void capacitiesMustBePositive_andChannelsFitTheirIdWidth() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().appletMaxEntries(0).build())
                .withMessage("appletMaxEntries: 0 (expected: > 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().syncMaxItems(0).build())
                .withMessage("syncMaxItems: 0 (expected: > 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().syncMaxSpaces(-5).build())
                .withMessage("syncMaxSpaces: -5 (expected: > 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().channelIdleSeconds(0).build())
                .withMessage("channelIdleSeconds: 0 (expected: > 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().storeMaxChannels(0).build())
                .withMessage("storeMaxChannels: 0 (expected: 1..4294967295)");
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        ServerConfig.builder().storeMaxChannels(0x1_0000_0000L).build())
                .withMessage("storeMaxChannels: 4294967296 (expected: 1..4294967295)");

        ServerConfig config = ServerConfig.builder()
                .storeMaxChannels(0xFFFF_FFFFL)
                .channelIdleSeconds(1)
                .appletMaxEntries(1)
                .syncMaxItems(1)
                .syncMaxSpaces(1)
                .build();
        assertThat(config.storeMaxChannels()).isEqualTo(0xFFFF_FFFFL);
        assertThat(config.appletMaxEntries()).isEqualTo(1);
    }

    @Test
    void portZeroMeansAnyFreePort() {
        assertThat(ServerConfig.builder()
                        .tcpPort(0)
                        .wsPort(0)
                        .adminPort(0)
                        .build()
                        .tcpPort())
                .isZero();
    }

    @Test
    void highWaterMarkMustNotBeBelowLow() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder()
                        .writeBufferLowBytes(2048)
                        .writeBufferHighBytes(1024)
                        .build())
                .withMessage("writeBufferHighBytes: 1024 (expected: >= writeBufferLowBytes 2048)");
        assertThat(ServerConfig.builder()
                        .writeBufferLowBytes(1024)
                        .writeBufferHighBytes(1024)
                        .build())
                .isNotNull();
    }

    @Test
    void loopbackBind() {
        assertThat(ServerConfig.builder().bind("127.0.0.1").build().isLoopbackBind())
                .isTrue();
        assertThat(ServerConfig.builder().bind("127.0.1.1").build().isLoopbackBind())
                .isTrue();
        assertThat(ServerConfig.builder().bind("localhost").build().isLoopbackBind())
                .isTrue();
        assertThat(ServerConfig.builder().bind("::1").build().isLoopbackBind()).isTrue();
        assertThat(ServerConfig.builder().bind("0.0.0.0").build().isLoopbackBind())
                .isFalse();
        assertThat(ServerConfig.builder().bind("::").build().isLoopbackBind()).isFalse();
        assertThat(ServerConfig.builder().bind("10.1.2.3").build().isLoopbackBind())
                .isFalse();
        assertThat(ServerConfig.builder().bind("push.example.com").build().isLoopbackBind())
                .isFalse();
    }

    @Test
    void toStringLeavesSecretsOut() {
        ServerConfig config = ServerConfig.builder()
                .tokenSecret("token-secret-token-secret-token-secret")
                .apiKey("the-api-key")
                .tokenKeys(Map.of("k0", "older-secret-older-secret-older-secret"))
                .build();

        assertThat(config.toString())
                .doesNotContain("token-secret", "the-api-key", "older-secret")
                .contains("k0");
    }
}
