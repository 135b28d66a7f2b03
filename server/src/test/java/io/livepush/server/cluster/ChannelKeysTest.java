package io.livepush.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChannelKeysTest {
    @Test
    void allKeysOfAChannelShareItsHashTag() {
        ChannelKeys keys = ChannelKeys.of("room.1");
        assertThat(keys.meta()).isEqualTo("push:{room.1}:meta");
        assertThat(keys.stream()).isEqualTo("push:{room.1}:stream");
        assertThat(keys.live()).isEqualTo("push:{room.1}:live");
        assertThat(keys.idempotency("k:1")).isEqualTo("push:{room.1}:idem:k:1");
    }

    @Test
    void refusesNamesThatWouldMoveTheHashTag() {
        assertThatThrownBy(() -> ChannelKeys.of("a}b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelKeys.of("{a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelKeys.of("")).isInstanceOf(IllegalArgumentException.class);
    }
}
