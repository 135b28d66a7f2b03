package io.livepush.server.session;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.auth.TokenClaims;
import io.livepush.server.store.RestrictionStore;
import io.livepush.server.store.UserRestriction;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may not connect: banned users and tokens issued before a user's revocation. Connects read a
 * copy in memory (no store access on an event loop); the admin API changes it, and each change is
 * written through to the {@link RestrictionStore} so that it outlives a restart (and, in a cluster,
 * reaches every node, which {@link #apply}s it). The copy changes once the store has it.
 */
public final class UserAccess {
    private final RestrictionStore store;
    private final Clock clock;
    private final ConcurrentHashMap<String, UserRestriction> byUser;

    public UserAccess(RestrictionStore store, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
        this.byUser = new ConcurrentHashMap<>(store.load(clock.millis()));
    }

    /** Why {@code claims} may not connect (or refresh) now, or null. */
    public Denial check(TokenClaims claims) {
        UserRestriction r = byUser.get(claims.subject());
        if (r == null) {
            return null;
        }
        long now = clock.millis();
        if (r.isBannedAt(now)) {
            return new Denial(
                    ErrorCode.FORBIDDEN,
                    "user " + claims.subject() + " is banned for another "
                            + Duration.ofMillis(r.bannedUntilMs() - now).toSeconds() + " s");
        }
        if (r.revokes(claims.issuedAtS())) {
            return new Denial(ErrorCode.UNAUTHENTICATED, "token revoked: issued before the user's tokens were revoked");
        }
        return null;
    }

    /** The user's restriction now ({@link UserRestriction#NONE} when none). */
    public UserRestriction of(String user) {
        return byUser.getOrDefault(user, UserRestriction.NONE);
    }

    /** Bans {@code user} for {@code duration} from now (replacing a ban it had); returns the new state. */
    public synchronized CompletableFuture<UserRestriction> ban(String user, Duration duration) {
        UserRestriction before = of(user);
        return set(user, new UserRestriction(clock.millis() + duration.toMillis(), before.revokedBeforeS()));
    }

    public synchronized CompletableFuture<UserRestriction> unban(String user) {
        return set(user, new UserRestriction(0, of(user).revokedBeforeS()));
    }

    /**
     * Revokes the user's tokens issued before {@code beforeMs}, to the second: {@code iat} is in whole
     * seconds, so a token issued in the same second as the revocation stays valid (a backend may
     * revoke and issue a fresh token at once). Only ever moves forward.
     */
    public synchronized CompletableFuture<UserRestriction> revoke(String user, long beforeMs) {
        UserRestriction before = of(user);
        long beforeS = Math.max(before.revokedBeforeS(), Math.floorDiv(beforeMs, 1000));
        return set(user, new UserRestriction(before.bannedUntilMs(), beforeS));
    }

    /** A change made elsewhere (another node of the cluster): the copy takes it. */
    public void apply(String user, UserRestriction r) {
        if (r.equals(UserRestriction.NONE)) {
            byUser.remove(user);
        } else {
            byUser.put(user, r);
        }
    }

    private CompletableFuture<UserRestriction> set(String user, UserRestriction r) {
        // The store first: what the API answered must survive a crash.
        return store.put(user, r).thenApply(stored -> {
            apply(user, r);
            return r;
        });
    }
}
