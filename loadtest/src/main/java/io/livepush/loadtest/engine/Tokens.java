package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Mints the harness's own connection tokens (HS256, no key id: the server's primary key verifies
 * them) with {@code caps: [{channels: ["*"], allow: ["join", "subscribe", "publish", "history"]}]}: every
 * operation a scenario's users perform. The harness thus needs no server class at run time.
 */
public final class Tokens {
    private static final List<Map<String, List<String>>> CAPS =
            List.of(Map.of("channels", List.of("*"), "allow", List.of("join", "subscribe", "publish", "history")));

    private final Algorithm algorithm;
    private final Duration ttl;

    public Tokens(String secret, Duration ttl) {
        requireNonNull(secret, "secret");
        requireNonNull(ttl, "ttl");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret: '' (expected: the server's token secret)");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.ttl = ttl;
    }

    public String mint(String user) {
        return JWT.create()
                .withSubject(requireNonNull(user, "user"))
                .withExpiresAt(Instant.ofEpochSecond(Instant.now().plus(ttl).getEpochSecond()))
                .withClaim("caps", CAPS)
                .sign(algorithm);
    }
}
