package io.livepush.server.applet;

import io.livepush.server.channel.ChannelNames;

/**
 * Applet ids and content limits (PROTOCOL.md semantics 5): an id is 1–64 characters of
 * {@code [A-Za-z0-9._:-]}, running content at most {@link #MAX_CONTENT_BYTES}.
 */
public final class AppletIds {
    public static final int MAX_LENGTH = 64;
    /** Running content is a small state (a wheel's angle, a vote's tally), not a file. */
    public static final int MAX_CONTENT_BYTES = 32 * 1024;

    public static final String RULE = "applet_id: expected 1-" + MAX_LENGTH + " characters of [A-Za-z0-9._:-]";

    private AppletIds() {}

    public static boolean isValid(String id) {
        // Same alphabet as channel names, shorter.
        return id != null && id.length() <= MAX_LENGTH && ChannelNames.isValid(id);
    }
}
