package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.testing.RedisServerExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-user limits count a user's connections and publishes on every node of a cluster together. */
class ClusterLimitsIT {
    private static final int MAX_CONNECTIONS = 2;
    private static final int PUBLISH_RATE = 5;

    @RegisterExtension
    @Order(1)
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @RegisterExtension
    @Order(2)
    static final PushServerExtension node1 = node("n1");

    @RegisterExtension
    @Order(3)
    static final PushServerExtension node2 = node("n2");

    private static PushServerExtension node(String id) {
        return PushServerExtension.clusterNode(
                id,
                redisServer::uri,
                b -> b.maxConnectionsPerUser(MAX_CONNECTIONS).publishRatePerUser(PUBLISH_RATE));
    }

    @Test
    void aUserHasNoMoreConnectionsOnAllNodesThanItsMaximum() throws Exception {
        try (TestClient first = node1.connect("spread");
                TestClient second = node2.connect("spread")) {
            awaitCounted("spread", MAX_CONNECTIONS); // else the third's count might overtake the second's
            assertRefused(node1.connect("spread"));
            assertRefused(node2.connect("spread"));
        }
        awaitCounted("spread", 0);
        // Their entries went with them: the user may connect twice again.
        try (TestClient again1 = node2.connect("spread");
                TestClient again2 = node1.connect("spread")) {
            assertThat(again2.publish("limits.ok", "still here").hasPublished()).isTrue();
            assertThat(again1.publish("limits.ok", "and here").hasPublished()).isTrue();
        }
    }

    private static void assertRefused(TestClient third) throws java.io.IOException {
        try (third) {
            ServerFrame refused = third.await(ServerFrame::hasError);
            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(refused.getError().getFatal()).isTrue();
            third.awaitClosed();
        }
    }

    /** Polls Redis until the user's connections counted there are {@code expected}. */
    private static void awaitCounted(String user, int expected) throws Exception {
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        String counted;
        while (!(counted = redisServer
                        .cli("ZCARD", "push:user:{" + user + "}:connections")
                        .trim())
                .equals(Integer.toString(expected))) {
            assertThat(System.nanoTime())
                    .as("%s connections counted, not %d", counted, expected)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aUsersPublishRateIsSharedByItsConnectionsOnAllNodes() throws Exception {
        try (TestClient on1 = node1.connect("chatty");
                TestClient on2 = node2.connect("chatty")) {
            int acked = 0;
            ServerFrame limited = null;
            for (int i = 0; i < 2 * PUBLISH_RATE && limited == null; i++) {
                ServerFrame answer = (i % 2 == 0 ? on1 : on2).publish("limits.rate", "m" + i);
                if (answer.hasPublished()) {
                    acked++;
                } else {
                    limited = answer;
                }
            }
            assertThat(limited)
                    .as("refused within %d publishes", 2 * PUBLISH_RATE)
                    .isNotNull();
            assertThat(limited.getError().getCode()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(acked)
                    .as("the burst is the rate per second, over both nodes")
                    .isBetween(PUBLISH_RATE, PUBLISH_RATE + 1);
        }
    }
}
