package io.livepush.server.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;

/** Applet state is part of the contract but arrives later; until then its paths answer 501, not 404. */
final class AppletRoutes {
    private static final HttpReply NOT_IMPLEMENTED = JsonErrors.of(
            HttpResponseStatus.NOT_IMPLEMENTED, "NOT_IMPLEMENTED", "applets arrive in a later release");

    void registerOn(RouteTable routes) {
        routes.add(HttpMethod.PUT, "/api/v1/rooms/{}/applets/{}", (request, params) -> notImplemented())
                .add(HttpMethod.GET, "/api/v1/rooms/{}/applets", (request, params) -> notImplemented());
    }

    private static CompletableFuture<HttpReply> notImplemented() {
        return CompletableFuture.completedFuture(NOT_IMPLEMENTED);
    }
}
