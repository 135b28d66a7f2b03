package io.livepush.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisUrlTest {
    @Test
    void oneRedisUrlIsOneNode() {
        List<RedisURI> uris = RedisUrl.parse("redis://:secret@10.0.0.1:6380/2");

        assertThat(uris).singleElement().satisfies(uri -> {
            assertThat(uri.getHost()).isEqualTo("10.0.0.1");
            assertThat(uri.getPort()).isEqualTo(6380);
            assertThat(uri.getDatabase()).isEqualTo(2);
            assertThat(password(uri)).isEqualTo("secret");
        });
    }

    @Test
    void aSentinelUrlIsOneNodeWithEverySentinel() {
        List<RedisURI> uris = RedisUrl.parse("redis-sentinel://:pw@s1:26379,s2:26380/mymaster");

        assertThat(uris).singleElement().satisfies(uri -> {
            assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
            assertThat(uri.getSentinels())
                    .extracting(RedisURI::getHost, RedisURI::getPort)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("s1", 26379),
                            org.assertj.core.groups.Tuple.tuple("s2", 26380));
        });
    }

    @Test
    void aCommaSeparatedListIsTheSeedsOfARedisCluster() {
        List<RedisURI> seeds = RedisUrl.parse("redis://10.0.0.1:7000, redis://10.0.0.2:7001,rediss://:pw@h3:7002");

        assertThat(seeds)
                .extracting(RedisURI::getHost, RedisURI::getPort, RedisURI::isSsl)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("10.0.0.1", 7000, false),
                        org.assertj.core.groups.Tuple.tuple("10.0.0.2", 7001, false),
                        org.assertj.core.groups.Tuple.tuple("h3", 7002, true));
        assertThat(password(seeds.get(2))).isEqualTo("pw");
    }

    @Test
    void aSeedListRefusesAnEmptySeedOrOtherSchemes() {
        assertThatThrownBy(() -> RedisUrl.parse("redis://a:7000,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Redis Cluster seed ''");
        assertThatThrownBy(() -> RedisUrl.parse("redis://a:7000,redis-sentinel://s:26379/m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: redis://host:port or rediss://host:port");
        assertThatThrownBy(() -> RedisUrl.parse("redis://a:7000,b:7001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 'b:7001'");
    }

    @Test
    void describeHidesThePasswordOfEverySeed() {
        assertThat(RedisUrl.describe("redis://:one@a:7000,redis://u:two@b:7001"))
                .isEqualTo("redis://***@a:7000,redis://***@b:7001");
    }

    private static String password(RedisURI uri) {
        return new String(
                uri.getCredentialsProvider().resolveCredentials().block().getPassword());
    }
}
