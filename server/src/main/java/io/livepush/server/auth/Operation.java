package io.livepush.server.auth;

import java.util.Locale;
import java.util.Optional;

/** What a token may allow on a channel; the lower-case names appear in JWT {@code allow} lists. */
public enum Operation {
    JOIN,
    SUBSCRIBE,
    PUBLISH,
    HISTORY,
    APPLET,
    /** Data sync on a space other than the user's own {@code space.<sub>}. */
    SYNC;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Operation> fromWireName(String name) {
        for (Operation op : values()) {
            if (op.wireName().equals(name)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
