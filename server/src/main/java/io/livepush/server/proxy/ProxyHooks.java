package io.livepush.server.proxy;

import static java.util.Objects.requireNonNull;

import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.session.Replies;
import java.time.Clock;

/** The proxy hooks the handlers use, over one HTTP client; every hook without a URL is off. */
public final class ProxyHooks implements AutoCloseable {
    private final ProxyClient client;
    private final ProxyConnect connect;

    public ProxyHooks(ProxyConfig config, ProxyScope scope, PushMetrics metrics, Replies replies, Clock clock) {
        requireNonNull(scope, "scope");
        this.client = new ProxyClient(config, metrics);
        ProxyRefresh refresh =
                new ProxyRefresh(client, replies, clock, config.timeout().toMillis());
        this.connect = new ProxyConnect(client, refresh, clock);
    }

    public ProxyConnect connect() {
        return connect;
    }

    @Override
    public void close() {
        client.close();
    }
}
