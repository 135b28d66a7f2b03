package io.livepush.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * One entry of a token's {@code caps} claim: the operations allowed on channels matching any pattern.
 * A pattern is a channel name, or a prefix followed by {@code *} ({@code *} alone matches every channel).
 */
public record Capability(List<String> channels, Set<Operation> allow) {
    public Capability {
        channels = List.copyOf(requireNonNull(channels, "channels"));
        allow = Set.copyOf(requireNonNull(allow, "allow"));
    }

    public boolean grants(Operation op, String channel) {
        if (!allow.contains(op)) {
            return false;
        }
        for (String pattern : channels) {
            if (pattern.endsWith("*")
                    ? channel.startsWith(pattern.substring(0, pattern.length() - 1))
                    : channel.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
