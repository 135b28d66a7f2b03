package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Sizing and retention of the embedded message store.
 *
 * @param dataDir where the Chronicle Map files live
 * @param maxMessages total messages (all channels) the messages file is sized for; it is fixed-capacity
 * @param averageMessageBytes average serialized message size, used to size the file
 * @param maxChannels channels the metadata file is sized for
 * @param retentionMaxMessages messages kept per channel
 * @param retentionMaxAge messages older than this are dropped by {@code trimExpired}
 * @param clock time source for age retention (injectable for tests)
 */
public record StoreConfig(
        Path dataDir,
        long maxMessages,
        int averageMessageBytes,
        long maxChannels,
        int retentionMaxMessages,
        Duration retentionMaxAge,
        Clock clock) {

    public static final long DEFAULT_MAX_MESSAGES = 1_000_000;
    public static final int DEFAULT_AVERAGE_MESSAGE_BYTES = 256;
    public static final long DEFAULT_MAX_CHANNELS = 1_000_000;
    public static final int DEFAULT_RETENTION_MAX_MESSAGES = 10_000;
    public static final Duration DEFAULT_RETENTION_MAX_AGE = Duration.ofHours(24);

    /** Channel ids occupy the upper 32 bits of a message key. */
    static final long MAX_CHANNEL_ID = 0xFFFF_FFFFL;

    public StoreConfig {
        requireNonNull(dataDir, "dataDir");
        requireNonNull(retentionMaxAge, "retentionMaxAge");
        requireNonNull(clock, "clock");
        requirePositive(maxMessages, "maxMessages");
        requirePositive(averageMessageBytes, "averageMessageBytes");
        requirePositive(maxChannels, "maxChannels");
        // Being an int, it is < 2^31: the kept seqs of a channel then span fewer than 2^32 values, so
        // the low 32 bits of a seq identify it within the channel's message keys.
        requirePositive(retentionMaxMessages, "retentionMaxMessages");
        if (maxChannels > MAX_CHANNEL_ID) {
            throw new IllegalArgumentException("maxChannels must be at most " + MAX_CHANNEL_ID + ": " + maxChannels);
        }
        if (retentionMaxAge.isNegative() || retentionMaxAge.isZero()) {
            throw new IllegalArgumentException("retentionMaxAge must be positive: " + retentionMaxAge);
        }
    }

    /** The default sizing and retention, with the system clock. */
    public static StoreConfig defaults(Path dataDir) {
        return new StoreConfig(
                dataDir,
                DEFAULT_MAX_MESSAGES,
                DEFAULT_AVERAGE_MESSAGE_BYTES,
                DEFAULT_MAX_CHANNELS,
                DEFAULT_RETENTION_MAX_MESSAGES,
                DEFAULT_RETENTION_MAX_AGE,
                Clock.systemUTC());
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
