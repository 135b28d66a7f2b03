package io.livepush.server.channel;

import java.util.concurrent.RejectedExecutionException;

/**
 * A channel has as many writes queued as it may hold: its publishers outrun its home. Retrying a
 * moment later works; it is backpressure for that channel, not a server-wide failure.
 */
public final class ChannelOverloadedException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    ChannelOverloadedException(String channel) {
        super(channel + ": too many writes queued");
    }
}
