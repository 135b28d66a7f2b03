package io.livepush.server.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket upgrade request's headers that the connect hook passes to the backend (an app's session
 * cookie, above all). Kept from the upgrade until the connection's {@code Connect} is decided, then
 * dropped: a connected client holds none of them.
 */
public final class HandshakeHeaders {
    /** What a backend needs to recognise a browser session; nothing the server itself interprets. */
    static final List<String> NAMES = List.of("cookie", "user-agent", "origin", "x-forwarded-for", "x-real-ip");

    private static final AttributeKey<Map<String, String>> KEY = AttributeKey.valueOf("push.proxy.headers");

    private HandshakeHeaders() {}

    /** Keeps the headers the connect hook may send, from the upgrade request of {@code ch}. */
    public static void keep(Channel ch, HttpHeaders request) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : NAMES) {
            String value = request.get(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        if (!kept.isEmpty()) {
            ch.attr(KEY).set(kept);
        }
    }

    /** The kept headers, removed from the connection (lower-case names); empty for TCP. */
    static Map<String, String> take(Channel ch) {
        Map<String, String> kept = ch.attr(KEY).getAndSet(null);
        return kept == null ? Map.of() : kept;
    }

    /** Drops what was kept, once the connection authenticated without the hook. */
    public static void forget(Channel ch) {
        if (ch.hasAttr(KEY)) {
            ch.attr(KEY).set(null);
        }
    }
}
