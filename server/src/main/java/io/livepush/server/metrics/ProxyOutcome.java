package io.livepush.server.metrics;

import java.util.Locale;

/** How a call to a proxy hook ended: the {@code outcome} label of {@code push_proxy_requests_total}. */
public enum ProxyOutcome {
    /** The backend allowed it. */
    ALLOWED,
    /** The backend refused it (an {@code error} or {@code disconnect} answer). */
    REFUSED,
    /** No whole answer within the timeout. */
    TIMEOUT,
    /** Not a usable answer: connection refused, a status other than 200, bad JSON. */
    ERROR,
    /** Not sent: the hook had its most calls in flight already. */
    OVERLOADED,
    /** Given up: the connection closed before the answer, and the call was cancelled. */
    ABANDONED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
