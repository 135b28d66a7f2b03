package io.livepush.server.handler;

import io.livepush.server.applet.Applets;
import io.livepush.server.auth.TokenVerifier;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.config.LiveNamespaces;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.proxy.ProxyHooks;
import io.livepush.server.session.Authorizer;
import io.livepush.server.session.ConnectionLifecycle;
import io.livepush.server.session.Replies;
import io.livepush.server.session.RequestGate;
import io.livepush.server.session.SessionRegistry;
import io.livepush.server.session.UserAccess;
import io.livepush.server.sync.DataSyncService;

/** Wires the operation handlers into one dispatcher. */
public final class Handlers {
    private Handlers() {}

    public static FrameDispatcher dispatcher(
            ChannelEngine registry,
            Applets applets,
            TokenVerifier verifier,
            SessionRegistry sessions,
            UserAccess access,
            Replies replies,
            PushMetrics metrics,
            String serverVersion,
            int heartbeatMs,
            int maxSubscriptions,
            int publishRatePerConnection,
            DataSyncService dataSync,
            int dataMaxItemBytes,
            int dataMaxItemsPerRequest,
            LiveNamespaces namespaces,
            ProxyHooks proxies) {
        Authorizer authorizer = new Authorizer(verifier);
        Failures failures = new Failures(replies);
        return new FrameDispatcher(
                new ConnectHandler(
                        verifier, sessions, access, replies, metrics, serverVersion, heartbeatMs, proxies.connect()),
                new RefreshHandler(verifier, replies, access, proxies.refresh()),
                new RoomHandler(registry, authorizer, replies, failures, proxies.channels()),
                new SubscriptionHandler(registry, authorizer, replies, failures, maxSubscriptions, proxies.channels()),
                new PublishHandler(
                        registry,
                        authorizer,
                        replies,
                        failures,
                        sessions,
                        publishRatePerConnection,
                        namespaces,
                        proxies.publish()),
                new HistoryHandler(registry, authorizer, replies, failures),
                new AppletHandler(applets, authorizer, replies, failures),
                new DataSyncHandler(dataSync, replies, failures, dataMaxItemBytes, dataMaxItemsPerRequest),
                new BackgroundHandler(registry, replies, failures),
                replies,
                new RequestGate(replies),
                new ConnectionErrors(replies),
                new ConnectionLifecycle(registry, sessions, metrics));
    }
}
