package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.proto.v1.Message;
import io.livepush.server.bootstrap.PushServer;
import io.livepush.server.bootstrap.StartupException;
import io.livepush.server.config.ServerConfig;
import io.livepush.server.testing.RedisServerExtension;
import io.livepush.server.testing.TestCertificate;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TLS to Redis ({@code rediss://}): nodes trust a private CA with {@code --redis-tls-ca}, and only then. */
class RedisTlsIT {
    private static final TestCertificate.PemFiles REDIS_TLS =
            TestCertificate.localhost().writeToTempDir();

    @RegisterExtension
    @Order(1)
    static final RedisServerExtension redisServer = RedisServerExtension.withTls(REDIS_TLS);

    @RegisterExtension
    @Order(2)
    static final PushServerExtension node1 = node("n1");

    @RegisterExtension
    @Order(3)
    static final PushServerExtension node2 = node("n2");

    private static PushServerExtension node(String id) {
        return PushServerExtension.clusterNode(id, redisServer::tlsUri, b -> b.redisTlsCa(REDIS_TLS.cert()));
    }

    @TempDir
    Path dataDir;

    @AfterAll
    static void deleteFiles() {
        REDIS_TLS.delete();
    }

    @Test
    void nodesShareChannelsThroughRedisOverTls() throws Exception {
        try (TestClient member = node2.connect("member");
                TestClient pub = node1.connect("pub")) {
            member.join("tls.room");
            assertThat(pub.publish("tls.room", "over tls").hasPublished()).isTrue();
            Message m = member.messages("tls.room", 1).get(0);
            assertThat(m.getPayload().toStringUtf8()).isEqualTo("over tls");
        }
    }

    @Test
    void aNodeThatDoesNotTrustRedisCertificateEndsItsStartWithOneLineNamingTheFlag() {
        ServerConfig config = ServerConfig.builder()
                .tcpPort(0)
                .wsPort(0)
                .adminPort(0)
                .dataDir(dataDir)
                .engine(ServerConfig.Engine.REDIS)
                .redisUrl(redisServer.tlsUri())
                .build();
        assertThatThrownBy(() -> PushServer.start(config).close())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("(--redis-url)")
                .hasMessageNotContaining("\n");
    }
}
