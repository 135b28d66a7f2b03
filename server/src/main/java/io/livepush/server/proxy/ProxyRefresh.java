package io.livepush.server.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Refreshed;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.TokenClaims;
import io.livepush.server.codec.StrictJson;
import io.livepush.server.metrics.Limit;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The refresh hook: the server itself extends a session the connect hook opened, shortly before its
 * {@code expire_at}, as Centrifugo does (the client has no token to send). The backend answers a new
 * {@code expire_at} (and optionally new caps); a refusal closes the connection with
 * {@code TOKEN_EXPIRED}. While the backend gives no answer, the server asks again every second until the
 * session expires, and then the usual expiry check closes it. Without the hook a proxied session simply
 * ends at its {@code expire_at}. One timer per proxied session, on its event loop, cancelled with it.
 *
 * <p>The client may also ask, with a {@code Refresh} whose token is empty ({@link #requested}): the backend
 * decides at once and the client gets {@code Refreshed} or an error, the session going on until its expiry.
 * Each such request is a call to the backend, so a connection gets one at a time and at most one a second;
 * more are answered {@code RATE_LIMITED} with the wait.
 */
public final class ProxyRefresh {
    /** How often a refresh the backend did not answer is tried again before the session expires. */
    static final long RETRY_MS = 1000;

    private final ProxyClient client;
    private final Replies replies;
    private final Clock clock;
    /** How long before expiry the hook is called: its timeout and a second to spare. */
    private final long leadMs;

    ProxyRefresh(ProxyClient client, Replies replies, Clock clock, long timeoutMs) {
        this.client = requireNonNull(client, "client");
        this.replies = requireNonNull(replies, "replies");
        this.clock = requireNonNull(clock, "clock");
        this.leadMs = timeoutMs + 1000;
    }

    /** {@code expire_at} (epoch seconds) of a backend's result in epoch ms, or {@code never} without one. */
    static long expiresAtMs(JsonNode result, long never) {
        long seconds = result.path("expire_at").asLong(0);
        return seconds > 0 ? Math.min(seconds, never / 1000) * 1000 : never;
    }

    /** Plans the refresh of a session the connect hook opened; called on its loop. */
    void watch(Session s) {
        long expiresAtMs = s.claims().expiresAtMs();
        if (!client.isOn(ProxyHook.REFRESH) || expiresAtMs >= ProxyConnect.NEVER_MS) {
            return;
        }
        schedule(s, Math.max(0, expiresAtMs - leadMs - clock.millis()));
    }

    private void schedule(Session s, long delayMs) {
        ProxySession ps = ProxySession.of(s.channel());
        if (ps.refresh == null) { // the first one: later ones replace it, and closing cancels whichever is due
            s.channel().closeFuture().addListener(f -> ps.refresh.cancel(false));
        } else {
            ps.refresh.cancel(false); // a client's refresh came first
        }
        ps.refresh = s.channel().eventLoop().schedule(() -> refresh(s), delayMs, TimeUnit.MILLISECONDS);
    }

    /** Whether a {@code Refresh} without a token from {@code s} is the refresh hook's to decide; on its loop. */
    public boolean takes(Session s) {
        ProxySession ps = ProxySession.peek(s.channel());
        return ps != null && ps.connectedByProxy && client.isOn(ProxyHook.REFRESH);
    }

    /**
     * A client's {@code Refresh} without a token, answered {@code refreshed} with the backend's new expiry, or the
     * backend's refusal ({@code FORBIDDEN} unless it names a code; fatal when it asks to disconnect), or
     * {@code UNAVAILABLE} without a decision. On the connection's loop.
     */
    public void requested(Session s, int id) {
        ProxySession ps = ProxySession.of(s.channel());
        long now = clock.millis();
        if (ps.clientRefreshInFlight || now < ps.clientRefreshAllowedAtMs) {
            replies.rateLimited(
                    s.channel(),
                    id,
                    Limit.REFRESH_RATE_PER_CONNECTION,
                    "refresh: one at a time and at most one a second per connection",
                    Math.max(ps.clientRefreshAllowedAtMs - now, ps.clientRefreshInFlight ? RETRY_MS : 0));
            return;
        }
        ps.clientRefreshInFlight = true;
        ps.clientRefreshAllowedAtMs = now + RETRY_MS;
        OnLoop.then(s.channel(), call(s), reply -> {
            ps.clientRefreshInFlight = false;
            if (reply.disconnect()) {
                replies.fatal(
                        s.channel(), id, reply.denial().code(), reply.denial().message());
                return;
            }
            if (!reply.isAllowed()) {
                replies.error(
                        s.channel(), id, reply.denial().code(), reply.denial().message());
                return;
            }
            TokenClaims extended = extended(s.claims(), reply.result());
            if (extended == null) {
                replies.error(
                        s.channel(),
                        id,
                        ErrorCode.UNAVAILABLE,
                        "refresh proxy: the answer has no expire_at ahead, or bad caps");
                return;
            }
            s.authenticate(extended);
            watch(s);
            replies.send(
                    s.channel(),
                    id,
                    ServerFrame.newBuilder().setRefreshed(Refreshed.newBuilder().setExpiresMs(extended.expiresAtMs())));
        });
    }

    private CompletableFuture<ProxyReply> call(Session s) {
        ObjectNode body = StrictJson.object()
                .put("session_id", s.id())
                .put("transport", s.transport().label())
                .put("user", s.claims().subject());
        return client.call(ProxyHook.REFRESH, body, s.channel());
    }

    private void refresh(Session s) {
        if (!s.channel().isActive() || s.isClosing()) {
            return;
        }
        TokenClaims current = s.claims();
        OnLoop.then(s.channel(), call(s), reply -> {
            if (s.claims() != current) {
                return; // the client refreshed with a token of this server meanwhile: that one holds now
            }
            if (!reply.isAllowed() && !reply.isUnavailable()) {
                replies.fatal(
                        s.channel(),
                        0,
                        ErrorCode.TOKEN_EXPIRED,
                        "session refresh refused: " + reply.denial().message());
                return;
            }
            TokenClaims extended = reply.isAllowed() ? extended(current, reply.result()) : null;
            if (extended == null) { // no decision, or no usable one: again shortly, while the session lasts
                if (clock.millis() + RETRY_MS < current.expiresAtMs()) {
                    schedule(s, RETRY_MS);
                }
                return;
            }
            s.authenticate(extended);
            watch(s);
        });
    }

    /** The claims with the backend's new expiry and caps; null when the answer does not extend the session. */
    private TokenClaims extended(TokenClaims current, JsonNode result) {
        long expiresAtMs = expiresAtMs(result, ProxyConnect.NEVER_MS);
        if (expiresAtMs <= clock.millis()) {
            return null;
        }
        List<Capability> caps;
        try {
            caps = result.has("caps") ? CapsJson.read(result.get("caps")) : current.caps();
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new TokenClaims(current.subject(), expiresAtMs, current.issuedAtS(), caps, "", Set.of());
    }
}
