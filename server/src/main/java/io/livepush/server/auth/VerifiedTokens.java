package io.livepush.server.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that verified before, with their claims: a client reconnecting with the token it already
 * presented (a whole room after a network blip) costs a lookup instead of a JWT parse and an HMAC.
 * Only successes are kept, and the keys never change while the server runs, so a hit is exactly
 * what verifying again would give — except expiry, which the caller checks on every hit. Bounded:
 * when full it starts over, which costs only re-verification.
 */
final class VerifiedTokens {
    private final int maxEntries;
    private final ConcurrentHashMap<String, TokenClaims> byToken = new ConcurrentHashMap<>();

    VerifiedTokens(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    TokenClaims get(String jwt) {
        return byToken.get(jwt);
    }

    void put(String jwt, TokenClaims claims) {
        if (byToken.size() >= maxEntries) {
            byToken.clear();
        }
        byToken.put(jwt, claims);
    }
}
