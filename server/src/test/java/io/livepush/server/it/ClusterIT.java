package io.livepush.server.it;

import io.livepush.server.testing.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClusterScenarios} with three nodes on one Redis server. */
class ClusterIT extends ClusterScenarios {
    @RegisterExtension
    @Order(1)
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @RegisterExtension
    @Order(2)
    static final PushServerExtension node1 = node("n1", redisServer::uri);

    @RegisterExtension
    @Order(3)
    static final PushServerExtension node2 = node("n2", redisServer::uri);

    @RegisterExtension
    @Order(4)
    static final PushServerExtension node3 = node("n3", redisServer::uri);

    @Override
    List<PushServerExtension> nodes() {
        return List.of(node1, node2, node3);
    }
}
