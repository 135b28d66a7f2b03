package io.livepush.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of each distinct {@code caps} list: tokens are minted per role, so a million users
 * hold a handful of capability lists, and every session keeps its token's claims for as long as it
 * is connected (a list of a capability, its patterns and its operations is ~150 bytes a connection).
 * Bounded: past {@link #MAX_DISTINCT} lists, further ones are simply not shared.
 */
final class SharedCapabilities {
    static final int MAX_DISTINCT = 4096;

    private final ConcurrentHashMap<List<Capability>, List<Capability>> lists = new ConcurrentHashMap<>();

    /** The shared instance equal to {@code caps} (an immutable list), or {@code caps} itself. */
    List<Capability> share(List<Capability> caps) {
        requireNonNull(caps, "caps");
        List<Capability> shared = lists.get(caps);
        if (shared != null) {
            return shared;
        }
        if (lists.size() >= MAX_DISTINCT) {
            return caps;
        }
        shared = lists.putIfAbsent(caps, caps);
        return shared != null ? shared : caps;
    }
}
