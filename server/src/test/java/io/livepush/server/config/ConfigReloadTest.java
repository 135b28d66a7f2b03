package io.livepush.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigReloadTest {
    @Test
    void changedKeysAreNamedAsInTheFileAndNamespacesAreNotAmongThem() {
        ServerConfig before = ServerConfig.builder().build();
        ServerConfig after = ServerConfig.builder()
                .tcpPort(7777)
                .redisAckReplicas(1)
                .namespaces(List.of(new Namespace("chat.", 10, 10, false, true, 100, true, Set.of())))
                .build();

        assertThat(ConfigReload.changedKeys(before, after)).containsExactly("tcp-port", "redis-ack-replicas");
        assertThat(ConfigReload.changedKeys(
                        before,
                        ServerConfig.builder()
                                .namespaces(List.of(new Namespace("chat.", 10, 10, false, true, 100, true, Set.of())))
                                .build()))
                .isEmpty();
    }
}
