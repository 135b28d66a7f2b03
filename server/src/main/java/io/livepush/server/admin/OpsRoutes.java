package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.livepush.server.codec.StrictJson;
import io.livepush.server.metrics.PushMetrics;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;

/** Prometheus scrape and the liveness / readiness probes; none of them needs the API key. */
final class OpsRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final AdminBackend backend;
    private final PushMetrics metrics;

    OpsRoutes(AdminBackend backend, PushMetrics metrics) {
        this.backend = requireNonNull(backend, "backend");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    void registerOn(RouteTable routes) {
        routes.add(
                        HttpMethod.GET,
                        "/metrics",
                        (request, params) ->
                                answer(HttpReply.text(HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.scrape())))
                .add(HttpMethod.GET, "/health/live", (request, params) -> answer(status(true)))
                .add(HttpMethod.GET, "/health/ready", (request, params) -> answer(status(backend.ready())));
    }

    private static HttpReply status(boolean up) {
        return HttpReply.json(
                up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                StrictJson.object().put("status", up ? "UP" : "DOWN"));
    }

    private static CompletableFuture<HttpReply> answer(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
