package io.livepush.server.metrics;

import io.livepush.proto.v1.ErrorCode;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;

/**
 * Why a client connection closed: the {@code reason} label of {@code push_disconnects_total} and of the
 * {@code disconnected} log line. A bounded set: the server's own causes below plus one per fatal
 * {@link ErrorCode} (its name in lower case). Whoever decides to close a connection marks it first
 * ({@link #markOn}); the first mark wins, and a connection closed unmarked was closed by its client.
 */
public final class CloseReason {
    private static final AttributeKey<CloseReason> KEY = AttributeKey.valueOf("push.closeReason");
    private static final List<CloseReason> ALL = new ArrayList<>();

    /** The client closed or reset the connection (or the network did). */
    public static final CloseReason CLIENT_CLOSED = new CloseReason("client_closed");
    /** No Connect within the handshake timeout. */
    public static final CloseReason HANDSHAKE_TIMEOUT = new CloseReason("handshake_timeout");
    /** A connected client silent for two heartbeats. */
    public static final CloseReason IDLE = new CloseReason("idle");
    /** The TLS handshake failed, or the client did not speak TLS. */
    public static final CloseReason TLS_FAILED = new CloseReason("tls_failed");
    /** Sent away (GoAway) for staying too far behind. */
    public static final CloseReason SLOW_CONSUMER = new CloseReason("slow_consumer");
    /** Sent away (GoAway) because a channel's history was reset under it (cluster). */
    public static final CloseReason HISTORY_RESET = new CloseReason("history_reset");
    /** Sent away (GoAway) by the admin API's disconnect (or a ban). */
    public static final CloseReason ADMIN_DISCONNECT = new CloseReason("admin_disconnect");
    /** Sent away (GoAway) because the node lost Redis (cluster). */
    public static final CloseReason REDIS_UNREACHABLE = new CloseReason("redis_unreachable");
    /** Sent away (GoAway) because the server stops. */
    public static final CloseReason SHUTDOWN = new CloseReason("shutdown");

    private static final EnumMap<ErrorCode, CloseReason> FATAL = new EnumMap<>(ErrorCode.class);

    static {
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNRECOGNIZED) {
                FATAL.put(code, new CloseReason(code.name().toLowerCase(Locale.ROOT)));
            }
        }
    }

    private final String label;
    private final int index;

    private CloseReason(String label) {
        this.label = label;
        this.index = ALL.size();
        ALL.add(this);
    }

    /** The reason of a fatal error with {@code code}. */
    public static CloseReason fatal(ErrorCode code) {
        CloseReason reason = FATAL.get(code);
        return reason != null ? reason : FATAL.get(ErrorCode.UNKNOWN);
    }

    /** Every reason, for meters registered before their first use. */
    static List<CloseReason> all() {
        return List.copyOf(ALL);
    }

    /** Marks {@code ch} as closed for this reason unless it was marked already; from any thread. */
    public void markOn(Channel ch) {
        ch.attr(KEY).setIfAbsent(this);
    }

    /** Why {@code ch} closed: its first mark, or {@link #CLIENT_CLOSED}. */
    public static CloseReason of(Channel ch) {
        CloseReason reason = ch.attr(KEY).get();
        return reason != null ? reason : CLIENT_CLOSED;
    }

    public String label() {
        return label;
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return label;
    }
}
