package io.livepush.server.auth;

import static java.util.Objects.requireNonNull;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Signs connection and channel tokens (HS256, with the primary key id of the key ring). */
public final class TokenIssuer {
    private final KeyRing keys;
    private final Clock clock;

    public TokenIssuer(KeyRing keys, Clock clock) {
        this.keys = requireNonNull(keys, "keys");
        this.clock = requireNonNull(clock, "clock");
    }

    /** A connection token: {@code sub}, {@code exp}, {@code caps}. */
    public String issue(String subject, Duration ttl, List<Capability> caps) {
        requireNonNull(caps, "caps");
        List<Map<String, List<String>>> claim = caps.stream()
                .map(cap -> Map.of("channels", cap.channels(), "allow", wireNames(cap.allow())))
                .toList();
        return start(subject, ttl).withClaim("caps", claim).sign(keys.primaryAlgorithm());
    }

    /** A channel token: {@code sub}, {@code exp}, {@code channel}, {@code allow}. */
    public String issueChannelToken(String subject, Duration ttl, String channel, Set<Operation> allow) {
        requireNonNull(channel, "channel");
        requireNonNull(allow, "allow");
        if (channel.isEmpty()) {
            throw new IllegalArgumentException("channel: '' (expected: not empty)");
        }
        return start(subject, ttl)
                .withClaim("channel", channel)
                .withClaim("allow", wireNames(allow))
                .sign(keys.primaryAlgorithm());
    }

    private JWTCreator.Builder start(String subject, Duration ttl) {
        requireNonNull(subject, "subject");
        requireNonNull(ttl, "ttl");
        if (subject.isEmpty()) {
            throw new IllegalArgumentException("subject: '' (expected: not empty)");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        // exp is a NumericDate: whole seconds, rounded down.
        Instant now = clock.instant();
        Instant expiresAt = Instant.ofEpochSecond(now.plus(ttl).getEpochSecond());
        // iat lets the backend revoke every token of a user issued before a time.
        return JWT.create()
                .withKeyId(keys.primaryKid())
                .withSubject(subject)
                .withIssuedAt(Instant.ofEpochSecond(now.getEpochSecond()))
                .withExpiresAt(expiresAt);
    }

    private static List<String> wireNames(Set<Operation> ops) {
        return ops.stream().sorted().map(Operation::wireName).toList();
    }
}
