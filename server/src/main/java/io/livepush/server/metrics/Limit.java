package io.livepush.server.metrics;

import java.util.Locale;

/** The limits a client can run into, each counted as {@code push_limit_refusals_total{limit}}. */
public enum Limit {
    CONNECTIONS_PER_IP,
    CONNECTIONS_PER_USER,
    CONNECT_RATE_PER_IP,
    PUBLISH_RATE_PER_CONNECTION,
    PUBLISH_RATE_PER_USER,
    SUBSCRIPTIONS_PER_CONNECTION,
    /** A proxied session's own {@code Refresh} requests: one at a time, at most one a second. */
    REFRESH_RATE_PER_CONNECTION,
    /** A banned user or a revoked token, refused at connect. */
    BANNED_USER;

    /** The label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
