package io.livepush.server.handler;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Refresh;
import io.livepush.proto.v1.Refreshed;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.TokenClaims;
import io.livepush.server.auth.TokenException;
import io.livepush.server.auth.TokenVerifier;
import io.livepush.server.proxy.ProxyRefresh;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;
import io.livepush.server.session.UserAccess;

/**
 * Replaces the connection's token in place, for the same user only; a refused refresh keeps the old one. A
 * session the connect hook opened has no token of this server: its refresh without one goes to the refresh hook.
 */
final class RefreshHandler {
    private final TokenVerifier verifier;
    private final Replies replies;
    private final UserAccess access;
    private final ProxyRefresh proxy;

    RefreshHandler(TokenVerifier verifier, Replies replies, UserAccess access, ProxyRefresh proxy) {
        this.verifier = verifier;
        this.replies = replies;
        this.access = access;
        this.proxy = proxy;
    }

    void refresh(Session s, int id, Refresh req) {
        if (req.getToken().isEmpty() && proxy.takes(s)) {
            proxy.requested(s, id);
            return;
        }
        TokenClaims claims;
        try {
            claims = verifier.verify(req.getToken());
        } catch (TokenException e) {
            replies.error(s.channel(), id, e.code(), e.getMessage());
            return;
        }
        if (!claims.subject().equals(s.userId())) {
            replies.error(s.channel(), id, ErrorCode.FORBIDDEN, "refresh token is for another user");
            return;
        }
        Denial denied = access.check(claims);
        if (denied != null) {
            replies.error(s.channel(), id, denied.code(), denied.message());
            return;
        }
        s.authenticate(claims);
        replies.send(
                s.channel(),
                id,
                ServerFrame.newBuilder().setRefreshed(Refreshed.newBuilder().setExpiresMs(claims.expiresAtMs())));
    }
}
