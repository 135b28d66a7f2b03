package io.livepush.server.it;

import io.livepush.server.testing.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ClusterScenarios} with three server processes on one Redis server (in this JVM, {@link RedisClusterIT}
 * runs them on a Redis Cluster under BlockHound).
 */
class ClusterIT extends ClusterScenarios {
    @RegisterExtension
    @Order(1)
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @RegisterExtension
    @Order(2)
    static final ServerProcessExtension node1 = processNode("n1", redisServer::uri);

    @RegisterExtension
    @Order(3)
    static final ServerProcessExtension node2 = processNode("n2", redisServer::uri);

    @RegisterExtension
    @Order(4)
    static final ServerProcessExtension node3 = processNode("n3", redisServer::uri);

    @Override
    List<ServerProcessExtension> nodes() {
        return List.of(node1, node2, node3);
    }
}
