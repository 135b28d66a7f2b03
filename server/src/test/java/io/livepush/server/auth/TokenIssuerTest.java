package io.livepush.server.auth;

import static io.livepush.server.auth.KeyRingTest.OLD_SECRET;
import static io.livepush.server.auth.KeyRingTest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenIssuerTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00.750Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final KeyRing ring = KeyRing.of("k2", SECRET, Map.of("k1", OLD_SECRET));
    private final TokenIssuer issuer = new TokenIssuer(ring, clock);
    private final TokenVerifier verifier = new TokenVerifier(ring, Duration.ZERO, clock);

    @Test
    void connectionTokenRoundTrips() throws TokenException {
        List<Capability> caps = List.of(
                new Capability(List.of("room.*"), Set.of(Operation.JOIN, Operation.PUBLISH)),
                new Capability(List.of("news"), Set.of(Operation.SUBSCRIBE)));

        String jwt = issuer.issue("alice", Duration.ofMinutes(5), caps);
        TokenClaims claims = verifier.verify(jwt);

        assertThat(JWT.decode(jwt).getKeyId()).isEqualTo("k2");
        assertThat(JWT.decode(jwt).getAlgorithm()).isEqualTo("HS256");
        assertThat(claims)
                .isEqualTo(new TokenClaims(
                        "alice",
                        Instant.parse("2025-01-01T00:05:00Z").toEpochMilli(),
                        Instant.parse("2025-01-01T00:00:00Z").getEpochSecond(),
                        caps,
                        "",
                        Set.of()));
    }

    @Test
    void channelTokenRoundTrips() throws TokenException {
        String jwt = issuer.issueChannelToken(
                "web-guest", Duration.ofHours(1), "room.7", Set.of(Operation.SUBSCRIBE, Operation.HISTORY));
        TokenClaims claims = verifier.verify(jwt);

        assertThat(claims.isChannelToken()).isTrue();
        assertThat(claims.channel()).isEqualTo("room.7");
        assertThat(claims.channelAllow()).containsExactlyInAnyOrder(Operation.SUBSCRIBE, Operation.HISTORY);
        assertThat(JWT.decode(jwt).getClaim("allow").asList(String.class)).containsExactly("subscribe", "history");
    }

    @Test
    void expIsInWholeSecondsRoundedDown() {
        String jwt = issuer.issue("alice", Duration.ofSeconds(10), List.of());

        assertThat(JWT.decode(jwt).getClaim("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 10);
    }

    @Test
    void issuedTokenExpiresAfterItsTtl() {
        String jwt = issuer.issue("alice", Duration.ofSeconds(10), List.of());

        clock.advance(Duration.ofSeconds(10));

        assertThatThrownBy(() -> verifier.verify(jwt))
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void refusesEmptySubjectAndNonPositiveTtl() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> issuer.issue("", Duration.ofSeconds(1), List.of()))
                .withMessage("subject: '' (expected: not empty)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> issuer.issue("alice", Duration.ZERO, List.of()))
                .withMessage("ttl: PT0S (expected: > 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> issuer.issueChannelToken("alice", Duration.ofSeconds(1), "", Set.of()))
                .withMessage("channel: '' (expected: not empty)");
    }
}
