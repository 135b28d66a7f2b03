package io.livepush.server.proxy;

import java.util.Locale;

/** The calls the server makes to the business backend; {@code JOIN} covers join and switch. */
public enum ProxyHook {
    CONNECT,
    JOIN,
    SUBSCRIBE,
    PUBLISH,
    REFRESH;

    /** The {@code hook} label of the metrics and the name in logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
