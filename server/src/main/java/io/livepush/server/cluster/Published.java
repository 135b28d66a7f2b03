package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

/**
 * What one publish got.
 *
 * @param duplicate true when the idempotency key was seen within the window: {@code (epoch, seq)} are those of
 *     the first publish with it, and nothing was stored or delivered this time
 */
public record Published(String epoch, long seq, boolean duplicate) {
    public Published {
        requireNonNull(epoch, "epoch");
    }
}
