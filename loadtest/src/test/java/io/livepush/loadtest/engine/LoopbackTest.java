package io.livepush.loadtest.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"})
    void loopbackTargetsAreAccepted(String host) {
        assertThat(Loopback.resolve(host).isLoopbackAddress()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.1",
                "192.168.1.10",
                "0.0.0.0",
                "8.8.8.8",
                "example.com",
                "128.0.0.1",
                "::2",
                "",
                "127.0.0.256"
            })
    void otherTargetsAreRefused(String host) {
        assertThatThrownBy(() -> Loopback.resolve(host))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }
}
