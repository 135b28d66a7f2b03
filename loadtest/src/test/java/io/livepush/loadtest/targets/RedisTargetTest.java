package io.livepush.loadtest.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.report.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis Pub/Sub as a target; skipped where redis-server is not installed. */
class RedisTargetTest extends PeerTargetTest {
    @RegisterExtension
    static final PeerProcess redis = PeerProcess.redis();

    @Override
    TargetKind kind() {
        return TargetKind.REDIS;
    }

    @Override
    PeerProcess peer() {
        return redis;
    }

    @Test
    void everyPublishIsAnswered() throws Exception {
        Summary s = run("room.acked", options().withRate(100), 3);

        assertThat(s.counts().acked()).isEqualTo(s.counts().published()).isPositive();
    }
}
