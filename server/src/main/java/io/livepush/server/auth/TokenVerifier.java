package io.livepush.server.auth;

import static java.util.Objects.requireNonNull;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.RegisteredClaims;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.livepush.proto.v1.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies connection and channel tokens (HS256, see {@link KeyRing} for key ids) and reads their
 * claims. Thread-safe.
 *
 * <p>Expiry is checked to the second against the clock: a token whose {@code exp} is {@code T} is
 * accepted until {@code T + leeway} (exclusive).
 */
public final class TokenVerifier {
    /** About as many as one server holds connections; a few MiB at most. */
    static final int CACHED_TOKENS = 20_000;

    private final KeyRing keys;
    private final Duration leeway;
    private final Clock clock;
    private final VerifiedTokens verified = new VerifiedTokens(CACHED_TOKENS);
    private final SharedCapabilities sharedCapabilities = new SharedCapabilities();
    private final Map<String, JWTVerifier> verifiersByKid;

    public TokenVerifier(KeyRing keys, Duration leeway, Clock clock) {
        this.keys = requireNonNull(keys, "keys");
        this.leeway = requireNonNull(leeway, "leeway");
        this.clock = requireNonNull(clock, "clock");
        if (leeway.isNegative()) {
            throw new IllegalArgumentException("leeway: " + leeway + " (expected: >= 0)");
        }
        Map<String, JWTVerifier> verifiers = new HashMap<>();
        for (String kid : keys.kids()) {
            Algorithm algorithm = keys.algorithm(kid).orElseThrow();
            // The algorithm fixes the accepted "alg" header to HS256, so "none" and others fail.
            JWTVerifier.BaseVerification verification = (JWTVerifier.BaseVerification) JWT.require(algorithm)
                    .acceptLeeway(leeway.toSeconds())
                    .withClaimPresence(RegisteredClaims.SUBJECT)
                    .withClaimPresence(RegisteredClaims.EXPIRES_AT);
            verifiers.put(kid, verification.build(clock));
        }
        this.verifiersByKid = Map.copyOf(verifiers);
    }

    public TokenClaims verify(String jwt) throws TokenException {
        requireNonNull(jwt, "jwt");
        TokenClaims known = verified.get(jwt);
        if (known != null) {
            if (!clock.instant()
                    .isBefore(Instant.ofEpochMilli(known.expiresAtMs()).plus(leeway))) {
                throw new TokenException(ErrorCode.TOKEN_EXPIRED, "token expired");
            }
            return known;
        }
        TokenClaims claims = decode(jwt);
        verified.put(jwt, claims);
        return claims;
    }

    private TokenClaims decode(String jwt) throws TokenException {
        DecodedJWT decoded;
        try {
            decoded = JWT.decode(jwt);
        } catch (JWTDecodeException e) {
            throw unauthenticated("malformed token");
        }
        // RFC 7515 4.1.11: extensions listed in "crit" must be understood; this server knows none.
        if (!decoded.getHeaderClaim("crit").isMissing()) {
            throw unauthenticated("unsupported crit header");
        }
        String kid = decoded.getKeyId() == null ? keys.primaryKid() : decoded.getKeyId();
        JWTVerifier verifier = verifiersByKid.get(kid);
        if (verifier == null) {
            throw unauthenticated("unknown key id");
        }
        try {
            verifier.verify(decoded);
        } catch (TokenExpiredException e) {
            throw new TokenException(ErrorCode.TOKEN_EXPIRED, "token expired");
        } catch (JWTVerificationException e) {
            // Signature, algorithm, missing claims, nbf in the future: all the same to a client.
            throw unauthenticated("invalid token");
        }
        // Present but null passes the presence checks above: what a claim holds is checked here.
        if (decoded.getSubject() == null || decoded.getSubject().isEmpty()) {
            throw unauthenticated("sub must be a non-empty string");
        }
        if (decoded.getExpiresAtAsInstant() == null) {
            throw unauthenticated("exp must be a number");
        }
        long expiresAtMs = decoded.getExpiresAtAsInstant().toEpochMilli();
        long issuedAtS = decoded.getIssuedAtAsInstant() == null
                ? 0
                : decoded.getIssuedAtAsInstant().getEpochSecond();
        Claim channel = decoded.getClaim("channel");
        if (channel.isMissing() || channel.isNull()) {
            return new TokenClaims(
                    decoded.getSubject(),
                    expiresAtMs,
                    issuedAtS,
                    sharedCapabilities.share(caps(decoded.getClaim("caps"))),
                    "",
                    Set.of());
        }
        if (channel.asString() == null || channel.asString().isEmpty()) {
            throw unauthenticated("channel must be a non-empty string");
        }
        return new TokenClaims(
                decoded.getSubject(),
                expiresAtMs,
                issuedAtS,
                List.of(),
                channel.asString(),
                operations(json(decoded.getClaim("allow")), "allow"));
    }

    /** {@code caps}: {@code [{"channels": ["room.*"], "allow": ["join", "publish"]}, ...]}. */
    private static List<Capability> caps(Claim claim) throws TokenException {
        JsonNode caps = json(claim);
        if (caps.isMissingNode()) {
            return List.of();
        }
        if (!caps.isArray()) {
            throw unauthenticated("caps must be an array");
        }
        List<Capability> result = new ArrayList<>();
        for (JsonNode cap : caps) {
            if (!cap.isObject()) {
                throw unauthenticated("caps entries must be objects");
            }
            result.add(
                    new Capability(strings(cap.path("channels"), "channels"), operations(cap.path("allow"), "allow")));
        }
        return List.copyOf(result);
    }

    // Names this server does not know are skipped, so newer backends can grant newer operations.
    private static Set<Operation> operations(JsonNode allow, String name) throws TokenException {
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        for (String wireName : strings(allow, name)) {
            Operation.fromWireName(wireName).ifPresent(ops::add);
        }
        return ops;
    }

    private static List<String> strings(JsonNode node, String name) throws TokenException {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw unauthenticated(name + " must be an array of strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw unauthenticated(name + " must be an array of strings");
            }
            result.add(element.asText());
        }
        return result;
    }

    private static JsonNode json(Claim claim) throws TokenException {
        if (claim.isMissing() || claim.isNull()) {
            return MissingNode.getInstance();
        }
        try {
            return claim.as(JsonNode.class);
        } catch (JWTDecodeException e) {
            throw unauthenticated("malformed claims");
        }
    }

    private static TokenException unauthenticated(String message) {
        return new TokenException(ErrorCode.UNAUTHENTICATED, message);
    }
}
