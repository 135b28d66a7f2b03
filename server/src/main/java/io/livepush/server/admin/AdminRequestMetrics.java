package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Counts every admin answer by route template and status, those of the API key gate and the body limit
 * included: it sits right after the HTTP codec, where each request passes in and its answer passes out,
 * in order (HTTP/1.1 answers pipelined requests in order). One instance per connection.
 */
final class AdminRequestMetrics extends ChannelDuplexHandler {
    /** A request no route takes: its method and path are the client's, so they are no label. */
    private static final Label UNMATCHED = new Label("other", "unmatched");

    private record Label(String method, String route) {}

    private final RouteTable routes;
    private final PushMetrics metrics;
    private final ArrayDeque<Label> unanswered = new ArrayDeque<>(2);

    AdminRequestMetrics(RouteTable routes, PushMetrics metrics) {
        this.routes = requireNonNull(routes, "routes");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            String route = routes.templateOf(
                    request.method(), new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8).rawPath());
            unanswered.add(
                    route == null ? UNMATCHED : new Label(request.method().name(), route));
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // 1xx (100 Continue) is not the answer: the request's own comes after it.
        if (msg instanceof HttpResponse response && response.status().code() >= 200) {
            Label label = unanswered.poll();
            Label l = label == null ? UNMATCHED : label;
            metrics.adminRequest(l.method(), l.route(), response.status().code());
        }
        ctx.write(msg, promise);
    }
}
