package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Dispatches a request to its route and turns every failure into a JSON error. The API key was
 * checked before the body was read ({@link ApiKeyGate}).
 */
final class AdminRouter {
    private final RouteTable routes;

    AdminRouter(RouteTable routes) {
        this.routes = requireNonNull(routes, "routes");
    }

    /** Never fails: the future always holds an answer to send. Call it before the request is released. */
    CompletableFuture<HttpReply> route(FullHttpRequest message) {
        try {
            return routes.dispatch(AdminRequest.of(message)).exceptionally(JsonErrors::fromThrowable);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(JsonErrors.fromThrowable(e));
        }
    }
}
