package io.livepush.client;

import java.time.Duration;

/** Tunables of a {@link PushClient}; set through {@link PushClient.Builder}. */
record ClientOptions(
        Duration connectTimeout,
        Duration requestTimeout,
        Duration reconnectMin,
        Duration reconnectMax,
        String clientName,
        int maxFrameBytes,
        int maxHeldPerChannel) {

    static ClientOptions defaults() {
        return new ClientOptions(
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                Duration.ofSeconds(30),
                "livepush-java/0.1.0",
                32 << 20,
                10_000);
    }
}
