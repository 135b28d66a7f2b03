package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

/**
 * The Redis names of one data-sync space, all under the hash tag {@code {space}} so that a Redis Cluster keeps
 * them in one slot and one script may touch them all:
 *
 * <pre>
 * push:space:{space.u1}:items      hash: item id = the push.v1 Item bytes (tombstones included)
 * push:space:{space.u1}:versions   sorted set: item id, score = its version (exact up to 2^53)
 * push:space:{space.u1}:cursor     string: the version of the space's last change
 * </pre>
 *
 * <p>No TTL: a space is a user's data, kept until it is deleted in Redis.
 */
record SpaceKeys(String items, String versions, String cursor) {
    private static final String PREFIX = "push:space:{";

    static SpaceKeys of(String space) {
        requireNonNull(space, "space");
        // Space names are [A-Za-z0-9._:-]; a brace would move the hash tag to another part of the key.
        if (space.isEmpty() || space.indexOf('{') >= 0 || space.indexOf('}') >= 0) {
            throw new IllegalArgumentException("space: " + space + " (expected: not empty, no braces)");
        }
        String tag = PREFIX + space + "}:";
        return new SpaceKeys(tag + "items", tag + "versions", tag + "cursor");
    }

    String[] all() {
        return new String[] {items, versions, cursor};
    }
}
