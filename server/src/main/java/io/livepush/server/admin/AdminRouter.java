package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;

/** Checks the API key on {@code /api/}, dispatches, and turns every failure into a JSON error. */
final class AdminRouter {
    private final RouteTable routes;
    private final ApiKey apiKey;

    AdminRouter(RouteTable routes, ApiKey apiKey) {
        this.routes = requireNonNull(routes, "routes");
        this.apiKey = requireNonNull(apiKey, "apiKey");
    }

    /** Never fails: the future always holds an answer to send. Call it before the request is released. */
    CompletableFuture<HttpReply> route(FullHttpRequest message) {
        try {
            AdminRequest request = AdminRequest.of(message);
            if (!request.path().isEmpty() && request.path().get(0).equals("api")
                    && !apiKey.accepts(request.authorization())) {
                return CompletableFuture.completedFuture(JsonErrors.of(HttpResponseStatus.UNAUTHORIZED,
                                "UNAUTHORIZED", "missing or wrong API key")
                        .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer"));
            }
            return routes.dispatch(request).exceptionally(JsonErrors::fromThrowable);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(JsonErrors.fromThrowable(e));
        }
    }
}
