package io.livepush.server.session;

import io.livepush.server.auth.TokenClaims;
import io.livepush.server.channel.Subscription;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

/**
 * The state of one connection: who it is, which room it is in, what it subscribes to. Confined to
 * the connection's event loop; other threads hand work to that loop instead of touching it.
 */
public final class Session {
    private static final AttributeKey<Session> KEY = AttributeKey.valueOf("push.session");

    private final String id = UUID.randomUUID().toString();
    private final Channel channel;
    private TokenClaims claims;
    private Subscription room;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    /** Replays waiting for the connection to become writable again. */
    private final ArrayDeque<Subscription> stalledReplays = new ArrayDeque<>();
    private ScheduledFuture<?> expiryTimer;

    private Session(Channel channel) {
        this.channel = channel;
    }

    public static Session create(Channel ch) {
        Session s = new Session(ch);
        ch.attr(KEY).set(s);
        return s;
    }

    /** The session of a connection, or null before the connection was set up. */
    public static Session of(Channel ch) {
        return ch.attr(KEY).get();
    }

    public String id() {
        return id;
    }

    public Channel channel() {
        return channel;
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

    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    public ArrayDeque<Subscription> stalledReplays() {
        return stalledReplays;
    }

    public void expiryTimer(ScheduledFuture<?> timer) {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        expiryTimer = timer;
    }
}
