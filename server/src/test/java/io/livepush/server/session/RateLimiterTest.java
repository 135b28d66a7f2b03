package io.livepush.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void allowsABurstOfOneSecondThenTheRate() {
        long t = 1_000 * SECOND;
        RateLimiter limiter = new RateLimiter(10, t);
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire(t)).as("event %s of the burst", i).isZero();
        }
        long wait = limiter.tryAcquire(t);
        assertThat(wait).as("the 11th waits one interval").isEqualTo(SECOND / 10);
        assertThat(limiter.tryAcquire(t + wait)).isZero();
        assertThat(limiter.tryAcquire(t + wait)).isPositive();
        assertThat(limiter.isIdle(t + wait)).isFalse();
        assertThat(limiter.isIdle(t + 2 * SECOND)).isTrue();
    }

    @Test
    void refusedAttemptsDoNotUseTheRate() {
        long t = 5 * SECOND;
        RateLimiter limiter = new RateLimiter(1, t);
        assertThat(limiter.tryAcquire(t)).isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire(t + i)).isPositive();
        }
        assertThat(limiter.tryAcquire(t + SECOND)).isZero();
    }
}
