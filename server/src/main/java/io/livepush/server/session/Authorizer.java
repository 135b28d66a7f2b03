package io.livepush.server.session;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.auth.Operation;
import io.livepush.server.auth.TokenClaims;
import io.livepush.server.auth.TokenException;
import io.livepush.server.auth.TokenVerifier;
import io.livepush.server.channel.ChannelNames;

/**
 * Decides whether a connection may do an operation on a channel: by the caps of its connection token,
 * or by a channel token sent with the request (which must belong to the same user).
 */
public final class Authorizer {
    private final TokenVerifier verifier;

    public Authorizer(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** Null when allowed, else why not. */
    public Denial check(Session session, Operation op, String channel, String channelToken) {
        if (!ChannelNames.isValid(channel)) {
            return new Denial(
                    ErrorCode.BAD_REQUEST, "invalid channel name: expected 1-128 characters of [A-Za-z0-9._:-]");
        }
        if (channelToken.isEmpty()) {
            return session.claims().allows(op, channel) ? null : forbidden(op, channel);
        }
        TokenClaims grant;
        try {
            grant = verifier.verify(channelToken);
        } catch (TokenException e) {
            return new Denial(e.code(), "channel token: " + e.getMessage());
        }
        if (!grant.subject().equals(session.userId())) {
            return new Denial(ErrorCode.FORBIDDEN, "channel token belongs to another user");
        }
        return grant.allows(op, channel) || session.claims().allows(op, channel) ? null : forbidden(op, channel);
    }

    /** Null when the connection's own caps allow any of {@code ops} on the channel (no channel token). */
    public Denial checkAny(Session session, String channel, Operation... ops) {
        Denial denial = null;
        for (Operation op : ops) {
            denial = check(session, op, channel, "");
            if (denial == null || denial.code() != ErrorCode.FORBIDDEN) {
                return denial;
            }
        }
        return denial;
    }

    private static Denial forbidden(Operation op, String channel) {
        return new Denial(ErrorCode.FORBIDDEN, "not allowed to " + op.wireName() + " " + channel);
    }
}
