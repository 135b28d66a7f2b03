package io.livepush.server.admin;

import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Signs the tokens that {@code POST /api/v1/tokens} hands out. The server wires its
 * {@code TokenIssuer} in with method references; tests use a fake.
 */
public interface TokenMinter {

    /** A connection token: {@code sub}, {@code exp}, {@code caps}. */
    String issue(String sub, Duration ttl, List<Capability> caps);

    /** A channel token: {@code sub}, {@code exp}, {@code channel}, {@code allow}. */
    String issueChannelToken(String sub, Duration ttl, String channel, Set<Operation> allow);
}
