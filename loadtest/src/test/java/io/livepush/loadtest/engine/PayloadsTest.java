package io.livepush.loadtest.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void timestampRoundTripsAndPayloadIsPadded() {
        long t = 0x0102030405060708L;
        var payload = Payloads.timed(t, 100);
        assertThat(payload.size()).isEqualTo(100);
        assertThat(Payloads.sentNanos(payload)).isEqualTo(t);
        assertThat(Payloads.sentNanos(Payloads.timed(-5, 8))).isEqualTo(-5);
    }

    @Test
    void tooSmallPayloadIsRejected() {
        assertThatThrownBy(() -> Payloads.timed(1, 7)).isInstanceOf(IllegalArgumentException.class);
    }
}
