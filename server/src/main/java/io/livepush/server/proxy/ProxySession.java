package io.livepush.server.proxy;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.ScheduledFuture;

/**
 * A connection's proxy state, made on its first proxied call and confined to its event loop: whether a
 * connect call is under way, when the refresh hook extends a session the connect hook opened, and the
 * order of its proxied publishes.
 */
final class ProxySession {
    private static final AttributeKey<ProxySession> KEY = AttributeKey.valueOf("push.proxy");

    boolean connecting;
    /** The connect hook opened the session: a Refresh without a token goes to the refresh hook. */
    boolean connectedByProxy;
    /** The next refresh of a proxy-connected session, if the refresh hook is on. */
    ScheduledFuture<?> refresh;
    /** The client's own refresh is with the backend. */
    boolean clientRefreshInFlight;
    /** When the client may ask for its next refresh, epoch ms. */
    long clientRefreshAllowedAtMs;

    private PublishOrder publishes;

    private ProxySession() {}

    static ProxySession of(Channel ch) {
        ProxySession s = ch.attr(KEY).get();
        if (s == null) {
            s = new ProxySession();
            ch.attr(KEY).set(s);
        }
        return s;
    }

    /** The order of the connection's proxied publishes; made on its first. */
    PublishOrder publishes() {
        if (publishes == null) {
            publishes = new PublishOrder();
        }
        return publishes;
    }

    /** The state of a connection that has one, else null (without adding an empty attribute to every connection). */
    static ProxySession peek(Channel ch) {
        return ch.hasAttr(KEY) ? ch.attr(KEY).get() : null;
    }
}
