package io.livepush.server.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.TokenClaims;
import io.livepush.server.auth.TokenException;
import io.livepush.server.codec.StrictJson;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Session;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The connect hook: a {@code Connect} whose token this server cannot verify (empty, an app's cookie or
 * opaque token, another issuer's JWT) goes to the backend, which names the user, their caps and the
 * session's expiry. A token this server signed never goes there, nor does an expired one of its own.
 */
public final class ProxyConnect {
    static final int MAX_USER_CHARS = 128;
    /** Without {@code expire_at} the session lasts as long as the connection; far off, yet safe to add to. */
    static final long NEVER_MS = Long.MAX_VALUE / 4;

    private final ProxyClient client;
    private final ProxyRefresh refresh;
    private final Clock clock;

    /** The backend's decision: claims to authenticate with, or why not. */
    public record Decision(TokenClaims claims, Denial denial) {}

    ProxyConnect(ProxyClient client, ProxyRefresh refresh, Clock clock) {
        this.client = requireNonNull(client, "client");
        this.refresh = requireNonNull(refresh, "refresh");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Whether a Connect whose token failed with {@code e} goes to the backend. */
    public boolean takes(TokenException e) {
        return client.isOn(ProxyHook.CONNECT) && e.code() == ErrorCode.UNAUTHENTICATED;
    }

    /** Whether the connection's connect call is still under way: a second Connect must not start another. */
    public boolean isConnecting(Session s) {
        ProxySession ps = ProxySession.peek(s.channel());
        return ps != null && ps.connecting;
    }

    /** Asks the backend; {@code onLoop} gets the decision on the connection's loop, unless it closed first. */
    public void connect(Session s, Connect req, Consumer<Decision> onLoop) {
        ProxySession ps = ProxySession.of(s.channel());
        ps.connecting = true;
        ObjectNode body = StrictJson.object()
                .put("session_id", s.id())
                .put("transport", s.transport().label())
                .put("remote_addr", remote(s))
                .put("client", req.getClient())
                .put("protocol_version", req.getProtocolVersion())
                .put("token", req.getToken());
        Map<String, String> headers = HandshakeHeaders.take(s.channel());
        if (!headers.isEmpty()) {
            headers.forEach(body.putObject("headers")::put);
        }
        OnLoop.then(s.channel(), client.call(ProxyHook.CONNECT, body, s.channel()), reply -> {
            ps.connecting = false;
            onLoop.accept(decide(reply));
        });
    }

    /** The connection was accepted with the backend's claims: from now on the refresh hook extends it. */
    public void connected(Session s) {
        ProxySession.of(s.channel()).connectedByProxy = true;
        refresh.watch(s);
    }

    private Decision decide(ProxyReply reply) {
        if (!reply.isAllowed()) {
            return new Decision(null, reply.denial());
        }
        JsonNode result = reply.result();
        String user = result.path("user").asText("");
        if (user.isEmpty() || user.length() > MAX_USER_CHARS) {
            return badAnswer("user must be a string of 1 to " + MAX_USER_CHARS + " characters");
        }
        List<Capability> caps;
        try {
            caps = CapsJson.read(result.get("caps"));
        } catch (IllegalArgumentException e) {
            return badAnswer(e.getMessage());
        }
        long now = clock.millis();
        long expiresAtMs = ProxyRefresh.expiresAtMs(result, NEVER_MS);
        if (expiresAtMs <= now) {
            return new Decision(null, new Denial(ErrorCode.TOKEN_EXPIRED, "connect proxy: expire_at has passed"));
        }
        return new Decision(new TokenClaims(user, expiresAtMs, now / 1000, caps, "", Set.of()), null);
    }

    private static Decision badAnswer(String why) {
        return new Decision(null, new Denial(ErrorCode.UNAVAILABLE, "connect proxy: bad backend answer: " + why));
    }

    private static String remote(Session s) {
        return s.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort()
                : String.valueOf(s.channel().remoteAddress());
    }
}
