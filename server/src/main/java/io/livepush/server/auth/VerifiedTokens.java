package io.livepush.server.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that verified before, with their claims: a client reconnecting with the token it already
 * presented (a whole room after a network blip) costs a hash and a lookup instead of a JWT parse and
 * an HMAC. Only successes are kept, and the keys never change while the server runs, so a hit is
 * exactly what verifying again would give — except expiry, which the caller checks on every hit.
 *
 * <p>A token is remembered by 128 bits of its SHA-256 (not its text: a few hundred bytes each), so
 * an entry costs about 100 bytes beside the claims its session holds anyway; finding another token
 * with the same digest is as hard as breaking SHA-256. Bounded: when full it starts over, which
 * costs only re-verification.
 */
final class VerifiedTokens {
    private record Digest(long high, long low) {}

    private final int maxEntries;
    private final ConcurrentHashMap<Digest, TokenClaims> byDigest = new ConcurrentHashMap<>();

    VerifiedTokens(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    TokenClaims get(String jwt) {
        return byDigest.get(digest(jwt));
    }

    void put(String jwt, TokenClaims claims) {
        if (byDigest.size() >= maxEntries) {
            byDigest.clear();
        }
        byDigest.put(digest(jwt), claims);
    }

    private static Digest digest(String jwt) {
        try {
            ByteBuffer d = ByteBuffer.wrap(
                    MessageDigest.getInstance("SHA-256").digest(jwt.getBytes(StandardCharsets.US_ASCII)));
            return new Digest(d.getLong(), d.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
