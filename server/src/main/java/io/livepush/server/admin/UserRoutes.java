package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;

/** Disconnects every connection of a user (a ban, a password change). */
final class UserRoutes {
    private final AdminBackend backend;

    UserRoutes(AdminBackend backend) {
        this.backend = requireNonNull(backend, "backend");
    }

    void registerOn(RouteTable routes) {
        routes.add(HttpMethod.POST, "/api/v1/users/{}/disconnect", (request, params) -> disconnect(request, params.get(0)));
    }

    private CompletableFuture<HttpReply> disconnect(AdminRequest request, String user) {
        String reason = Json.optionalText(request.jsonOrEmpty(), "reason").orElse("");
        int closed = backend.disconnectUser(user, reason);
        return CompletableFuture.completedFuture(HttpReply.json(HttpResponseStatus.OK, Json.object().put("closed", closed)));
    }
}
