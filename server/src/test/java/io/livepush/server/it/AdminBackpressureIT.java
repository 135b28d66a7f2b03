package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.bootstrap.HeldHome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API answers a channel whose queue is full with 429 and {@code Retry-After}: backpressure
 * the business backend can act on, while other channels and clients are served (issue 11).
 */
class AdminBackpressureIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(b -> b.homeQueueCapacity(4));

    @Test
    void anOverloadedChannelAnswers429WithRetryAfter() throws Exception {
        EngineUnderTest.assumeEmbedded(
                "the per-channel mailbox of the embedded store; Redis publishes go straight to Redis");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = "{\"kind\":\"blob\",\"payload\":\"" + Base64.getEncoder().encodeToString(new byte[1024]) + "\"}";
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        try (HeldHome held = HeldHome.of(server.server(), "bp.hot")) {
            for (int i = 0; i < 20; i++) {
                burst.add(http.sendAsync(
                        HttpRequest.newBuilder(URI.create(server.adminUrl() + "/api/v1/channels/bp.hot/messages"))
                                .header("Authorization", "Bearer " + PushServerExtension.API_KEY)
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // While the home is held nothing is stored: all but the mailbox's 4 are answered at once.
            CountDownLatch answered = new CountDownLatch(16);
            burst.forEach(f -> f.whenComplete((r, e) -> answered.countDown()));
            assertThat(answered.await(20, TimeUnit.SECONDS))
                    .as("16 answers while the home is held")
                    .isTrue();
        }
        int stored = 0;
        int limited = 0;
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            HttpResponse<String> r = f.join();
            if (r.statusCode() == 200) {
                stored++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(r.body()).contains("RATE_LIMITED");
                limited++;
            }
        }
        assertThat(stored)
                .as("the mailbox's 4 places, stored once the home is free")
                .isEqualTo(4);
        assertThat(limited).isEqualTo(16);
        try (TestClient client = server.connect("bp-bystander")) {
            assertThat(client.publish("bp.cool", "served").hasPublished()).isTrue();
        }
    }
}
