package io.livepush.server.auth;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Signs connection and channel tokens (HS256, with the primary key id of the key ring). */
public final class TokenIssuer {

    /** A connection token: {@code sub}, {@code exp}, {@code caps}. */
    public String issue(String subject, Duration ttl, List<Capability> caps) {
        throw new UnsupportedOperationException("implemented by the auth work");
    }

    /** A channel token: {@code sub}, {@code exp}, {@code channel}, {@code allow}. */
    public String issueChannelToken(String subject, Duration ttl, String channel, Set<Operation> allow) {
        throw new UnsupportedOperationException("implemented by the auth work");
    }
}
