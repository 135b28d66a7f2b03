package io.livepush.server.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.codec.StrictJson;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Session;
import java.util.function.Consumer;

/**
 * The join and subscribe hooks. Where one applies (URL set, channel in scope) and the client sent no
 * channel token, the backend decides instead of the connection's caps, as Centrifugo's subscribe proxy
 * does; a channel token still grants its channel without a call. An allowing answer may carry an
 * {@code info} value (any JSON, at most {@link #MAX_INFO_BYTES} bytes as text) that the member gets back
 * in {@code RoomJoined.info} / {@code Subscribed.info}.
 */
public final class ProxyChannels {
    static final int MAX_INFO_BYTES = 4096;

    private final ProxyClient client;
    private final ProxyScope scope;

    /**
     * The backend's decision.
     *
     * @param denial why not, else null
     * @param disconnect the backend asked to close the connection
     * @param info the JSON text of the answer's {@code info}, else empty
     */
    public record Decision(Denial denial, boolean disconnect, ByteString info) {}

    ProxyChannels(ProxyClient client, ProxyScope scope) {
        this.client = requireNonNull(client, "client");
        this.scope = requireNonNull(scope, "scope");
    }

    /** Whether the backend decides {@code hook} (join or subscribe) on {@code channel} for this request. */
    public boolean decides(ProxyHook hook, String channel, String channelToken) {
        return channelToken.isEmpty() && client.isOn(hook) && scope.applies(hook, channel);
    }

    /**
     * Asks the backend; {@code onLoop} gets the decision on the connection's loop, unless it closed first.
     *
     * @param previous for a switch, the room the connection is in; else empty
     */
    public void ask(Session s, ProxyHook hook, String channel, String previous, Consumer<Decision> onLoop) {
        ObjectNode body = StrictJson.object()
                .put("session_id", s.id())
                .put("transport", s.transport().label())
                .put("user", s.userId())
                .put("channel", channel);
        if (hook == ProxyHook.JOIN) {
            body.put("previous", previous);
        }
        OnLoop.then(s.channel(), client.call(hook, body, s.channel()), reply -> onLoop.accept(decide(hook, reply)));
    }

    private static Decision decide(ProxyHook hook, ProxyReply reply) {
        if (!reply.isAllowed()) {
            return new Decision(reply.denial(), reply.disconnect(), ByteString.EMPTY);
        }
        JsonNode info = reply.result().get("info");
        if (info == null || info.isNull()) {
            return new Decision(null, false, ByteString.EMPTY);
        }
        byte[] text = StrictJson.bytes(info);
        if (text.length > MAX_INFO_BYTES) {
            return new Decision(
                    new Denial(
                            ErrorCode.UNAVAILABLE,
                            hook.label() + " proxy: bad backend answer: info longer than " + MAX_INFO_BYTES + " bytes"),
                    false,
                    ByteString.EMPTY);
        }
        return new Decision(null, false, ByteString.copyFrom(text));
    }
}
