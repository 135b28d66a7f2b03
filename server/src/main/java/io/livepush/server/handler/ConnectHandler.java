package io.livepush.server.handler;

import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.Connected;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.TokenClaims;
import io.livepush.server.auth.TokenException;
import io.livepush.server.auth.TokenVerifier;
import io.livepush.server.metrics.Limit;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.proxy.HandshakeHeaders;
import io.livepush.server.proxy.ProxyConnect;
import io.livepush.server.session.Denial;
import io.livepush.server.session.RefusalLog;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;
import io.livepush.server.session.SessionRegistry;
import io.livepush.server.session.UserAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first frame of every connection: authenticates it by its token, or by the backend's connect hook
 * when the token is not one of this server's, or answers a fatal error.
 */
final class ConnectHandler {
    static final int PROTOCOL_VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);
    /** Per server: each has its own windows. */
    private final RefusalLog refusals = new RefusalLog(log);

    private final TokenVerifier verifier;
    private final SessionRegistry sessions;
    private final Replies replies;
    private final UserAccess access;
    private final PushMetrics metrics;
    private final String serverVersion;
    private final int heartbeatMs;
    private final ProxyConnect proxy;

    ConnectHandler(
            TokenVerifier verifier,
            SessionRegistry sessions,
            UserAccess access,
            Replies replies,
            PushMetrics metrics,
            String serverVersion,
            int heartbeatMs,
            ProxyConnect proxy) {
        this.proxy = proxy;
        this.access = access;
        this.verifier = verifier;
        this.sessions = sessions;
        this.replies = replies;
        this.metrics = metrics;
        this.serverVersion = serverVersion;
        this.heartbeatMs = heartbeatMs;
    }

    void connect(Session s, int id, Connect req) {
        if (s.isConnected()) {
            replies.error(s.channel(), id, ErrorCode.ALREADY_CONNECTED, "already connected as " + s.userId());
            return;
        }
        if (proxy.isConnecting(s)) {
            replies.error(s.channel(), id, ErrorCode.ALREADY_CONNECTED, "connect in progress");
            return;
        }
        if (req.getProtocolVersion() != PROTOCOL_VERSION) {
            replies.fatal(
                    s.channel(),
                    id,
                    ErrorCode.UNSUPPORTED_VERSION,
                    "protocol_version " + req.getProtocolVersion() + " (supported: " + PROTOCOL_VERSION + ")");
            return;
        }
        TokenClaims claims;
        try {
            claims = verifier.verify(req.getToken());
        } catch (TokenException e) {
            if (proxy.takes(e)) {
                proxy.connect(s, req, decision -> {
                    if (decision.denial() != null) {
                        refuse(
                                s,
                                id,
                                decision.denial().code(),
                                decision.denial().message());
                    } else if (accept(s, id, decision.claims(), req)) {
                        proxy.connected(s);
                    }
                });
                return;
            }
            refuse(s, id, e.code(), e.getMessage());
            return;
        }
        accept(s, id, claims, req);
    }

    private void refuse(Session s, int id, ErrorCode code, String message) {
        refusals.info(
                "connect refused", "remote={} code={} reason={}", s.channel().remoteAddress(), code, message);
        replies.fatal(s.channel(), id, code, message);
    }

    /** Connects the session with verified claims unless a limit or a ban refuses it; says whether it did. */
    private boolean accept(Session s, int id, TokenClaims claims, Connect req) {
        Denial denied = access.check(claims);
        if (denied != null) {
            refusals.info(
                    "connect refused",
                    "remote={} code={} reason={}",
                    s.channel().remoteAddress(),
                    denied.code(),
                    denied.message());
            replies.refused(s.channel(), id, Limit.BANNED_USER, denied.code(), denied.message());
            return false;
        }
        if (!sessions.add(claims.subject(), s.channel())) {
            replies.refused(
                    s.channel(),
                    id,
                    Limit.CONNECTIONS_PER_USER,
                    ErrorCode.LIMIT_EXCEEDED,
                    "user " + claims.subject() + " has " + sessions.maxPerUser() + " connections already");
            return false;
        }
        s.authenticate(claims);
        HandshakeHeaders.forget(s.channel());
        metrics.connected(s.transport());
        log.info(
                "connected session={} user={} remote={} client={}",
                s.id(),
                claims.subject(),
                s.channel().remoteAddress(),
                req.getClient());
        replies.send(
                s.channel(),
                id,
                ServerFrame.newBuilder()
                        .setConnected(Connected.newBuilder()
                                .setSessionId(s.id())
                                .setUserId(claims.subject())
                                .setServerVersion(serverVersion)
                                .setHeartbeatMs(heartbeatMs)));
        sessions.addAcrossCluster(claims.subject(), s.channel()).thenAccept(added -> {
            if (!added) {
                s.channel()
                        .eventLoop()
                        .execute(() -> replies.refused(
                                s.channel(),
                                0,
                                Limit.CONNECTIONS_PER_USER,
                                ErrorCode.LIMIT_EXCEEDED,
                                "user " + claims.subject() + " has " + sessions.maxPerUser()
                                        + " connections already on the cluster's nodes"));
            }
        });
        return true;
    }
}
