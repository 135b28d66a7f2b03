package io.livepush.server.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Small store configs for tests: map creation cost and file size grow with the sizing. */
final class TestStores {
    static final long MAX_MESSAGES = 200_000;

    private TestStores() {}

    static StoreConfig config(Path dir) {
        return config(dir, StoreConfig.DEFAULT_RETENTION_MAX_MESSAGES, Clock.systemUTC());
    }

    static StoreConfig config(Path dir, int retentionMaxMessages, Clock clock) {
        return new StoreConfig(dir, MAX_MESSAGES, 128, 1_000, retentionMaxMessages, Duration.ofHours(1), clock);
    }
}
