package io.livepush.server.admin;

import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Returns a token that spells out what it was asked to sign. */
final class FakeTokenMinter implements TokenMinter {
    volatile List<Capability> lastCaps;
    volatile Set<Operation> lastAllow;

    @Override
    public String issue(String sub, Duration ttl, List<Capability> caps) {
        lastCaps = caps;
        return "conn:" + sub + ":" + ttl.toSeconds();
    }

    @Override
    public String issueChannelToken(String sub, Duration ttl, String channel, Set<Operation> allow) {
        lastAllow = allow;
        return "chan:" + sub + ":" + ttl.toSeconds() + ":" + channel;
    }
}
