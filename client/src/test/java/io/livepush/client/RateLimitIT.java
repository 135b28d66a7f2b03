package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.PublishAck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client honours {@code retry_after_ms}: a rate-limited publish is sent again when the server allows it. */
class RateLimitIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer(b -> b.publishRatePerConnection(5));

    @Test
    void rateLimitedPublishesAreSentAgainAfterTheServersDelay() throws Exception {
        try (PushClient client = SERVER.client("limited", new Recorder()).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            long started = System.nanoTime();
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                acks.add(client.publish("rate.room", "chat", ("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
            List<Long> seqs = new ArrayList<>();
            for (CompletableFuture<PublishAck> ack : acks) {
                seqs.add(ack.get(10, TimeUnit.SECONDS).getSeq());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(seqs)
                    .as("every publish stored once")
                    .doesNotHaveDuplicates()
                    .hasSize(12);
            assertThat(took)
                    .as("5 per second after a burst of 5: the last ones waited")
                    .isGreaterThan(Duration.ofMillis(1000));
        }
    }

    @Test
    void aLimitThatOutlastsTheRequestTimeoutFailsWithTheServersDelay() throws Exception {
        try (PushClient client = SERVER.client("impatient", new Recorder())
                .requestTimeout(Duration.ofMillis(150))
                .build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                acks.add(client.publish("rate.impatient", "chat", new byte[1]));
            }
            Throwable last = catchThrowable(() -> acks.get(7).get(10, TimeUnit.SECONDS));
            assertThat(last).isInstanceOf(ExecutionException.class);
            assertThat(last.getCause()).isInstanceOf(PushException.class);
            PushException e = (PushException) last.getCause();
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.retryAfterMs()).isPositive();
        }
    }
}
