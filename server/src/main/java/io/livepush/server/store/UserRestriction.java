package io.livepush.server.store;

/**
 * What the backend has restricted for one user.
 *
 * @param bannedUntilMs  new connections are refused until then (epoch ms; 0 = not banned)
 * @param revokedBeforeS tokens issued ({@code iat}) before this second are refused (epoch s; 0 = none)
 */
public record UserRestriction(long bannedUntilMs, long revokedBeforeS) {
    public static final UserRestriction NONE = new UserRestriction(0, 0);

    public boolean isBannedAt(long nowMs) {
        return nowMs < bannedUntilMs;
    }

    /** Whether a token issued at {@code issuedAtS} (0 = no {@code iat}: it cannot prove it is newer) is revoked. */
    public boolean revokes(long issuedAtS) {
        return revokedBeforeS > 0 && (issuedAtS == 0 || issuedAtS < revokedBeforeS);
    }

    /** Whether keeping this restriction still changes anything after {@code nowMs}. */
    public boolean mattersAfter(long nowMs) {
        return isBannedAt(nowMs) || revokedBeforeS > 0;
    }
}
