package io.livepush.server.proxy;

import static java.util.Objects.requireNonNull;

import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.session.Replies;
import java.time.Clock;

/** The proxy hooks the handlers use, over one HTTP client; every hook without a URL is off. */
public final class ProxyHooks implements AutoCloseable {
    private final ProxyClient client;
    private final ProxyConnect connect;
    private final ProxyChannels channels;
    private final ProxyPublish publish;
    private final ProxyRefresh refresh;

    public ProxyHooks(ProxyConfig config, ProxyScope scope, PushMetrics metrics, Replies replies, Clock clock) {
        this.client = new ProxyClient(config, metrics);
        this.refresh = new ProxyRefresh(client, replies, clock, config.timeout().toMillis());
        this.connect = new ProxyConnect(client, refresh, clock);
        this.channels = new ProxyChannels(client, requireNonNull(scope, "scope"));
        this.publish = new ProxyPublish(client, scope);
    }

    public ProxyConnect connect() {
        return connect;
    }

    /** Join (and switch) and subscribe. */
    public ProxyChannels channels() {
        return channels;
    }

    public ProxyPublish publish() {
        return publish;
    }

    public ProxyRefresh refresh() {
        return refresh;
    }

    @Override
    public void close() {
        client.close();
    }
}
