package io.livepush.server.auth;

import static io.livepush.server.auth.KeyRingTest.OLD_SECRET;
import static io.livepush.server.auth.KeyRingTest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant EXP = NOW.plusSeconds(60);

    private final MutableClock clock = new MutableClock(NOW);
    private final KeyRing ring = KeyRing.of(SECRET, Map.of("k0", OLD_SECRET));
    private final TokenVerifier verifier = new TokenVerifier(ring, Duration.ZERO, clock);

    private static JWTCreator.Builder token() {
        return JWT.create().withSubject("alice").withExpiresAt(EXP);
    }

    private static Algorithm hs256(String secret) {
        return Algorithm.HMAC256(secret);
    }

    private void assertRejected(String jwt, ErrorCode code) {
        assertThatThrownBy(() -> verifier.verify(jwt))
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void validTokenGivesItsClaims() throws TokenException {
        String jwt = token().withKeyId("k1")
                .withClaim("caps", List.of(Map.of("channels", List.of("room.*"), "allow", List.of("join", "publish"))))
                .sign(hs256(SECRET));

        TokenClaims claims = verifier.verify(jwt);

        assertThat(claims.subject()).isEqualTo("alice");
        assertThat(claims.expiresAtMs()).isEqualTo(EXP.toEpochMilli());
        assertThat(claims.isChannelToken()).isFalse();
        assertThat(claims.caps())
                .containsExactly(new Capability(List.of("room.*"), Set.of(Operation.JOIN, Operation.PUBLISH)));
    }

    @Test
    void nullSubOrExpIsUnauthenticatedNotACrash() {
        assertRejected(
                JWT.create().withNullClaim("sub").withExpiresAt(EXP).sign(hs256(SECRET)), ErrorCode.UNAUTHENTICATED);
        assertRejected(
                JWT.create().withSubject("alice").withNullClaim("exp").sign(hs256(SECRET)), ErrorCode.UNAUTHENTICATED);
        assertRejected(
                JWT.create().withSubject("alice").withClaim("exp", "tomorrow").sign(hs256(SECRET)),
                ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void aCritHeaderIsRefusedAsNoExtensionIsUnderstood() {
        String jwt =
                token().withHeader(Map.of("crit", List.of("exp-2"), "exp-2", 1)).sign(hs256(SECRET));
        assertRejected(jwt, ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void tokenWithoutKeyIdIsVerifiedWithThePrimaryKey() throws TokenException {
        assertThat(verifier.verify(token().sign(hs256(SECRET))).subject()).isEqualTo("alice");
    }

    @Test
    void badSignatureIsUnauthenticated() {
        String jwt = token().withKeyId("k1").sign(hs256("another-secret-of-at-least-32-bytes"));

        assertRejected(jwt, ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void signedWithAnotherKeyOfTheRingIsUnauthenticated() {
        assertRejected(token().withKeyId("k1").sign(hs256(OLD_SECRET)), ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void unknownKeyIdIsUnauthenticated() {
        assertThatThrownBy(() -> verifier.verify(token().withKeyId("k7").sign(hs256(SECRET))))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                    assertThat(e.getMessage()).isEqualTo("unknown key id");
                });
    }

    @Test
    void tokenOfARotatedOutKeyVerifiesWhileItsKeyIdIsInTheRing() throws TokenException {
        String old = token().withKeyId("k0").sign(hs256(OLD_SECRET));

        assertThat(verifier.verify(old).subject()).isEqualTo("alice");
        TokenVerifier withoutK0 = new TokenVerifier(KeyRing.of(SECRET, Map.of()), Duration.ZERO, clock);
        assertThatThrownBy(() -> withoutK0.verify(old)).isInstanceOf(TokenException.class);
    }

    @Test
    void expiresExactlyAtTheSecondOfExp() throws TokenException {
        String jwt = token().sign(hs256(SECRET));

        clock.set(EXP.minusMillis(1));
        assertThat(verifier.verify(jwt).subject()).isEqualTo("alice");

        clock.set(EXP);
        assertRejected(jwt, ErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void leewayExtendsExpiry() throws TokenException {
        TokenVerifier lenient = new TokenVerifier(ring, Duration.ofSeconds(5), clock);
        String jwt = token().sign(hs256(SECRET));

        clock.set(EXP.plusSeconds(4).plusMillis(999));
        assertThat(lenient.verify(jwt).subject()).isEqualTo("alice");

        clock.set(EXP.plusSeconds(5));
        assertThatThrownBy(() -> lenient.verify(jwt))
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void expiredTokenWithBadSignatureIsUnauthenticated() {
        clock.advance(Duration.ofHours(1));

        assertRejected(token().sign(hs256("another-secret-of-at-least-32-bytes")), ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void algNoneIsRejected() {
        assertRejected(token().sign(Algorithm.none()), ErrorCode.UNAUTHENTICATED);
        // The same, with a forged header and the signature left empty.
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = base64Url("{\"sub\":\"alice\",\"exp\":" + EXP.getEpochSecond() + "}");
        assertRejected(header + '.' + payload + '.', ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void otherHmacAlgorithmsAreRejected() {
        assertRejected(token().sign(Algorithm.HMAC512(SECRET)), ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void malformedTokenIsUnauthenticatedAndNotEchoed() {
        assertThatThrownBy(() -> verifier.verify("not.a-token")).isInstanceOfSatisfying(TokenException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(e.getMessage()).doesNotContain("not.a-token");
        });
        assertRejected("", ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void missingOrEmptySubjectIsUnauthenticated() {
        assertRejected(JWT.create().withExpiresAt(EXP).sign(hs256(SECRET)), ErrorCode.UNAUTHENTICATED);
        assertRejected(token().withSubject("").sign(hs256(SECRET)), ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void missingExpiryIsUnauthenticated() {
        assertRejected(JWT.create().withSubject("alice").sign(hs256(SECRET)), ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void malformedCapsAreUnauthenticated() {
        assertRejected(token().withClaim("caps", "room.*").sign(hs256(SECRET)), ErrorCode.UNAUTHENTICATED);
        assertRejected(
                token().withClaim("caps", List.of(Map.of("channels", "room.*"))).sign(hs256(SECRET)),
                ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void unknownOperationNamesAreIgnored() throws TokenException {
        String jwt = token().withClaim(
                        "caps", List.of(Map.of("channels", List.of("*"), "allow", List.of("subscribe", "teleport"))))
                .sign(hs256(SECRET));

        assertThat(verifier.verify(jwt).caps())
                .containsExactly(new Capability(List.of("*"), Set.of(Operation.SUBSCRIBE)));
    }

    @Test
    void channelTokenGivesItsChannelAndAllowList() throws TokenException {
        String jwt = token().withClaim("channel", "room.7")
                .withClaim("allow", List.of("subscribe", "history", "future"))
                .sign(hs256(SECRET));

        TokenClaims claims = verifier.verify(jwt);

        assertThat(claims.channel()).isEqualTo("room.7");
        assertThat(claims.channelAllow()).containsExactlyInAnyOrder(Operation.SUBSCRIBE, Operation.HISTORY);
        assertThat(claims.caps()).isEmpty();
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
