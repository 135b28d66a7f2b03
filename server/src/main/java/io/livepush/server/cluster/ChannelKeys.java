package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

/**
 * The Redis names of one channel, all under the hash tag {@code {channel}} so that a Redis Cluster keeps
 * them in one slot and one script may touch them all:
 *
 * <pre>
 * push:{room.1}:meta        hash: epoch, seq (the last seq assigned)
 * push:{room.1}:stream      stream: entry &lt;seq&gt;-1, field m = the push.v1 Message bytes
 * push:{room.1}:idem:&lt;key&gt;  string "&lt;epoch&gt;:&lt;seq&gt;" with the idempotency window as TTL
 * push:{room.1}:applets     hash: v:&lt;applet id&gt; = version, s:&lt;applet id&gt; = the push.v1 AppletState bytes
 * push:{room.1}:live        Pub/Sub channel (not a key): 'm' + the Message bytes, in seq order, and
 *                           'a' + the seq it follows (20 digits) + AppletState bytes for applet updates;
 *                           sharded Pub/Sub on a Redis Cluster, in the same slot (the scripts declare it
 *                           with their keys)
 * </pre>
 */
record ChannelKeys(String channel, String meta, String stream, String applets, String live) {
    private static final String PREFIX = "push:{";
    private static final String LIVE_SUFFIX = "}:live";

    static ChannelKeys of(String channel) {
        requireNonNull(channel, "channel");
        // Channel names are [A-Za-z0-9._:-]; a brace would move the hash tag to another part of the key.
        if (channel.isEmpty() || channel.indexOf('{') >= 0 || channel.indexOf('}') >= 0) {
            throw new IllegalArgumentException("channel: " + channel + " (expected: not empty, no braces)");
        }
        String tag = PREFIX + channel + "}:";
        return new ChannelKeys(channel, tag + "meta", tag + "stream", tag + "applets", tag + "live");
    }

    /** Whether {@code pubSubChannel} is the live channel of a channel. */
    static boolean isLive(String pubSubChannel) {
        return pubSubChannel.startsWith(PREFIX) && pubSubChannel.endsWith(LIVE_SUFFIX);
    }

    /** The channel whose live Pub/Sub channel is {@code live}. */
    static String channelOfLive(String live) {
        if (!isLive(live)) {
            throw new IllegalArgumentException(
                    "live: " + live + " (expected: " + PREFIX + "<channel>" + LIVE_SUFFIX + ")");
        }
        return live.substring(PREFIX.length(), live.length() - LIVE_SUFFIX.length());
    }

    String idempotency(String key) {
        return PREFIX + channel + "}:idem:" + key;
    }
}
