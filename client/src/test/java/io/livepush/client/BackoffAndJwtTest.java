package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BackoffAndJwtTest {

    @Test
    void backoffDoublesWithJitterUpToTheMaxAndResets() {
        Backoff b = new Backoff(100, 1000);
        long[][] bounds = {{50, 100}, {100, 200}, {200, 400}, {400, 800}, {500, 1000}, {500, 1000}};
        for (long[] bound : bounds) {
            assertThat(b.nextDelayMs()).isBetween(bound[0], bound[1]);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(b.nextDelayMs()).isBetween(500L, 1000L); // no overflow however long it fails
        }
        b.reset();
        assertThat(b.nextDelayMs()).isBetween(50L, 100L);
        assertThatThrownBy(() -> new Backoff(10, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected");
    }

    @Test
    void jwtExpiryIsReadFromThePayload() {
        String payload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"sub\":\"alice\",\"exp\":1767225600}".getBytes(StandardCharsets.UTF_8));
        assertThat(Jwt.expiryMs("eyJhbGciOiJIUzI1NiJ9." + payload + ".sig")).isEqualTo(1_767_225_600_000L);
        assertThat(Jwt.expiryMs("not-a-jwt")).isZero();
        assertThat(Jwt.expiryMs("a.%%%.c")).isZero();
    }
}
