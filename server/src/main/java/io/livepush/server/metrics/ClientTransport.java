package io.livepush.server.metrics;

import java.util.Locale;

/** How a client connection frames its messages: the {@code transport} label of the connection metrics. */
public enum ClientTransport {
    TCP,
    WEBSOCKET;

    /** The label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
