package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

/**
 * The namespaces in force: read by any thread, replaced whole by a config reload (SIGHUP). A lookup after the
 * replacement sees the new namespaces; state that cached an older {@link Namespace} picks up the new one where
 * its owner says (see the callers).
 */
public final class LiveNamespaces {
    private volatile Namespaces current;

    public LiveNamespaces(Namespaces initial) {
        this.current = requireNonNull(initial, "initial");
    }

    /** The namespace of {@code channel} now. */
    public Namespace forChannel(String channel) {
        return current.forChannel(channel);
    }

    public Namespaces current() {
        return current;
    }

    public void replace(Namespaces namespaces) {
        this.current = requireNonNull(namespaces, "namespaces");
    }
}
