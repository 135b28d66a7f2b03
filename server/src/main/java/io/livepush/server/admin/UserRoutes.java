package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livepush.server.codec.StrictJson;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What the backend does to a user: disconnect (optionally with a ban), revoke tokens issued before a
 * time (a password change, a stolen device), lift a ban, and look at where they stand.
 */
final class UserRoutes {
    private final AdminBackend backend;

    UserRoutes(AdminBackend backend) {
        this.backend = requireNonNull(backend, "backend");
    }

    /** Longest ban: a longer one is a mistake more often than a wish (a permanent ban is the backend's job). */
    static final long MAX_BAN_SECONDS = Duration.ofDays(366).toSeconds();

    void registerOn(RouteTable routes) {
        routes.add(
                HttpMethod.POST,
                "/api/v1/users/{}/disconnect",
                (request, params) -> disconnect(request, params.get(0)));
        routes.add(HttpMethod.POST, "/api/v1/users/{}/revoke", (request, params) -> revoke(request, params.get(0)));
        routes.add(
                HttpMethod.DELETE,
                "/api/v1/users/{}/ban",
                (request, params) ->
                        backend.unban(params.get(0)).thenCompose(ignored -> state(params.get(0), StrictJson.object())));
        routes.add(HttpMethod.GET, "/api/v1/users/{}", (request, params) -> state(params.get(0), StrictJson.object()));
    }

    private CompletableFuture<HttpReply> disconnect(AdminRequest request, String user) {
        JsonNode body = request.jsonOrEmpty();
        String reason = Json.optionalText(body, "reason").orElse("");
        long banSeconds = Json.optionalLong(body, "ban_s", 0);
        if (banSeconds < 0 || banSeconds > MAX_BAN_SECONDS) {
            throw JsonErrors.badRequest("ban_s: " + banSeconds + " (expected: 0.." + MAX_BAN_SECONDS + ")");
        }
        return backend.disconnectUser(user, reason, Duration.ofSeconds(banSeconds))
                .thenCompose(closed -> state(user, StrictJson.object().put("closed", closed)));
    }

    private CompletableFuture<HttpReply> revoke(AdminRequest request, String user) {
        long now = System.currentTimeMillis();
        long before = Json.optionalLong(request.jsonOrEmpty(), "issued_before_ms", now);
        if (before <= 0 || before > now) {
            throw JsonErrors.badRequest(
                    "issued_before_ms: " + before + " (expected: a past time in epoch ms; default now)");
        }
        return backend.revokeTokens(user, before)
                .thenCompose(closed -> state(user, StrictJson.object().put("closed", closed)));
    }

    /**
     * Where the user stands. After a disconnect or revoke, {@code closed} says what was closed and
     * {@code connections} is left out: the closes are still under way, so a count would mislead.
     */
    private CompletableFuture<HttpReply> state(String user, ObjectNode answer) {
        UserState s = backend.user(user);
        answer.put("user", user);
        if (!answer.has("closed")) {
            answer.put("connections", s.connections());
        }
        answer.put("banned_until_ms", s.bannedUntilMs()).put("tokens_revoked_before_ms", s.tokensRevokedBeforeMs());
        return CompletableFuture.completedFuture(HttpReply.json(HttpResponseStatus.OK, answer));
    }
}
