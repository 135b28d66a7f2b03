package io.livepush.server.cluster;

import io.livepush.server.channel.LogUnavailableException;

/**
 * A publish that Redis stored but fewer replicas than {@code --redis-ack-replicas} acknowledged in time: it is
 * not acknowledged to the publisher, who may retry it with the same idempotency key.
 */
public final class ReplicationException extends LogUnavailableException {
    private static final long serialVersionUID = 1L;

    ReplicationException(int wanted, long acked) {
        super("the message reached " + acked + " of the " + wanted + " Redis replicas asked for; retry it");
    }
}
