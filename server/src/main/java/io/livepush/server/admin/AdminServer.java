package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The admin / business HTTP API of PROTOCOL.md plus {@code /metrics} and the health probes. The
 * server's bootstrap binds the admin port with {@link #initializer()}.
 */
public final class AdminServer {
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final int IDLE_TIMEOUT_SECONDS = 60;

    static final String IDLE_HANDLER = "idle";
    static final String HTTP_CODEC = "httpCodec";
    static final String REQUEST_METRICS = "requestMetrics";
    static final String FIRST_REQUEST = "firstRequest";
    static final String API_KEY_GATE = "apiKeyGate";
    static final String AGGREGATOR = "aggregator";
    static final String ADMIN_HANDLER = "admin";

    private final AdminRouter router;
    private final RouteTable routes;
    private final PushMetrics metrics;
    private final ApiKey apiKey;
    private final long firstRequestDeadlineMs;

    /**
     * @param firstRequestDeadlineMs how long a new connection may stay silent: a scraper or a backend
     *                               sends its request right after connecting
     * @param maxPayloadBytes the largest payload a publish to a channel may carry (its namespace's)
     */
    public AdminServer(
            AdminBackend backend,
            TokenMinter tokens,
            PushMetrics metrics,
            String apiKey,
            int maxTokenTtlSeconds,
            long firstRequestDeadlineMs,
            ToIntFunction<String> maxPayloadBytes) {
        this.firstRequestDeadlineMs = firstRequestDeadlineMs;
        requireNonNull(backend, "backend");
        if (requireNonNull(apiKey, "apiKey").isEmpty()) {
            throw new IllegalArgumentException("apiKey: empty (expected: a secret)");
        }
        this.metrics = requireNonNull(metrics, "metrics");
        RouteTable routes = new RouteTable();
        new ChannelRoutes(backend, maxPayloadBytes).registerOn(routes);
        new UserRoutes(backend).registerOn(routes);
        new TokenRoutes(tokens, maxTokenTtlSeconds).registerOn(routes);
        new AppletRoutes(backend).registerOn(routes);
        new OpsRoutes(backend, metrics).registerOn(routes);
        this.apiKey = new ApiKey(apiKey);
        this.routes = routes;
        router = new AdminRouter(routes);
    }

    /** The admin port's pipeline, on any transport; the router is shared, the rest is per connection. */
    public ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                // Idle first, so a client that stalls mid-request is closed too.
                ch.pipeline()
                        .addLast(IDLE_HANDLER, new IdleStateHandler(0, 0, IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                        .addLast(HTTP_CODEC, new HttpServerCodec())
                        .addLast(REQUEST_METRICS, new AdminRequestMetrics(routes, metrics))
                        .addLast(FIRST_REQUEST, new FirstRequestDeadline(firstRequestDeadlineMs))
                        .addLast(API_KEY_GATE, new ApiKeyGate(apiKey))
                        .addLast(AGGREGATOR, new JsonAggregator(MAX_BODY_BYTES))
                        .addLast(ADMIN_HANDLER, new AdminHttpHandler(router));
            }
        };
    }
}
