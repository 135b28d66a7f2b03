package io.livepush.server.session;

import io.livepush.server.auth.TokenClaims;
import io.livepush.server.channel.Subscription;
import io.livepush.server.metrics.ClientTransport;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The state of one connection: who it is, which room it is in, what it subscribes to. Confined to
 * the connection's event loop; other threads hand work to that loop instead of touching it.
 */
public final class Session {
    private static final AttributeKey<Session> KEY = AttributeKey.valueOf("push.session");

    private final long id = ThreadLocalRandom.current().nextLong();
    private final Channel channel;
    private final ClientTransport transport;
    private TokenClaims claims;
    private Subscription room;
    private Map<String, Subscription> subscriptions;
    private final long openedNanos;
    private long lastReadNanos;
    /** Its requests being answered; null while it has none, so an idle connection keeps no window. */
    private RequestGate.Window requests;

    private RateLimiter publishes;
    private boolean background;

    private Session(Channel channel, ClientTransport transport) {
        this.channel = channel;
        this.transport = transport;
        this.openedNanos = System.nanoTime();
        this.lastReadNanos = openedNanos;
    }

    public static Session create(Channel ch, ClientTransport transport) {
        Session s = new Session(ch, transport);
        ch.attr(KEY).set(s);
        return s;
    }

    /** The session of a connection, or null before the connection was set up. */
    public static Session of(Channel ch) {
        return ch.attr(KEY).get();
    }

    /** A random id for logs and {@code Connected.session_id}; formatted on demand, not kept per connection. */
    public String id() {
        String hex = Long.toHexString(id); // String.format's parsing showed in reconnect-storm profiles
        return "0".repeat(16 - hex.length()) + hex;
    }

    public Channel channel() {
        return channel;
    }

    public ClientTransport transport() {
        return transport;
    }

    /**
     * Whether the connection got its fatal error and only lingers until it closes. Frames the decoder still
     * had in the same read after the one that failed must not run (nor could they be answered).
     */
    public boolean isClosing() {
        return LingeringClose.isClosing(channel);
    }

    public boolean isConnected() {
        return claims != null;
    }

    public TokenClaims claims() {
        return claims;
    }

    public String userId() {
        return claims == null ? "" : claims.subject();
    }

    public void authenticate(TokenClaims claims) {
        this.claims = claims;
    }

    public Subscription room() {
        return room;
    }

    public void room(Subscription room) {
        this.room = room;
    }

    /** Whether the app is in the background: the connection follows its channels, which deliver nothing to it. */
    public boolean isBackground() {
        return background;
    }

    public void background(boolean on) {
        this.background = on;
    }

    /** The subscription to {@code channel}, or null. */
    public Subscription subscription(String channel) {
        return subscriptions == null ? null : subscriptions.get(channel);
    }

    public int subscriptionCount() {
        return subscriptions == null ? 0 : subscriptions.size();
    }

    /** For changes; created on first use: many connections only ever join a room. */
    public Map<String, Subscription> subscriptions() {
        if (subscriptions == null) {
            subscriptions = new HashMap<>(4);
        }
        return subscriptions;
    }

    /** This connection's publish rate, made on its first publish. */
    public RateLimiter publishes(int perSecond) {
        if (publishes == null) {
            publishes = new RateLimiter(perSecond, System.nanoTime());
        }
        return publishes;
    }

    RequestGate.Window requests() {
        return requests;
    }

    void requests(RequestGate.Window w) {
        requests = w;
    }

    public long openedNanos() {
        return openedNanos;
    }

    public long lastReadNanos() {
        return lastReadNanos;
    }

    /** Records that the client sent a frame: it is alive (see {@link ConnectionDeadlines}). */
    public void readAt(long nanos) {
        lastReadNanos = nanos;
    }
}
