package io.livepush.client;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;

/** Tunables of a {@link PushClient}; set through {@link PushClientBuilder}. */
record ClientOptions(
        Duration connectTimeout,
        Duration requestTimeout,
        Duration reconnectMin,
        Duration reconnectMax,
        String clientName,
        int maxFrameBytes,
        int maxHeldPerChannel) {

    /** {@code livepush-java/<version>}, the version from the build (client.properties, filtered by Maven). */
    static final String USER_AGENT = "livepush-java/" + buildVersion();

    static ClientOptions defaults() {
        return new ClientOptions(
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                Duration.ofSeconds(30),
                USER_AGENT,
                32 << 20,
                10_000);
    }

    private static String buildVersion() {
        Properties build = new Properties();
        try (InputStream in = ClientOptions.class.getResourceAsStream("client.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            return "unknown"; // a damaged jar must not stop the client: the name is informational
        }
        return build.getProperty("version", "unknown");
    }
}
