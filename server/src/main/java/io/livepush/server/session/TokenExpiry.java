package io.livepush.server.session;

import io.livepush.proto.v1.ErrorCode;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose token expires without a Refresh (PROTOCOL.md semantics 9): one timer per
 * connection, at the token's expiry plus the configured leeway, replaced on every Refresh.
 */
public final class TokenExpiry {
    private final Clock clock;
    private final long leewayMs;
    private final Replies replies;

    public TokenExpiry(Clock clock, long leewayMs, Replies replies) {
        this.clock = clock;
        this.leewayMs = leewayMs;
        this.replies = replies;
    }

    public void schedule(Session session) {
        long delay = Math.max(0, session.claims().expiresAtMs() + leewayMs - clock.millis());
        session.expiryTimer(session.channel().eventLoop().schedule(
                () -> replies.fatal(session.channel(), 0, ErrorCode.TOKEN_EXPIRED, "token expired without a refresh"),
                delay, TimeUnit.MILLISECONDS));
    }
}
