package io.livepush.server.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Publish;
import io.livepush.server.codec.StrictJson;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Session;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * The publish hook: where it applies, the backend decides instead of the {@code publish} cap, and may
 * rewrite the payload (moderation) before it is stored: {@code {"result": {"payload": "<base64>"}}} or
 * {@code {"result": {"text": "..."}}}; {@code {"result": {}}} stores it as sent. A connection's publishes
 * keep their order through the hook (see {@link PublishOrder}).
 */
public final class ProxyPublish {
    private final ProxyClient client;
    private final ProxyScope scope;

    /**
     * The backend's decision.
     *
     * @param denial why not, else null
     * @param disconnect the backend asked to close the connection
     * @param payload what to store: the client's payload or the backend's rewrite
     */
    public record Decision(Denial denial, boolean disconnect, ByteString payload) {}

    ProxyPublish(ProxyClient client, ProxyScope scope) {
        this.client = requireNonNull(client, "client");
        this.scope = requireNonNull(scope, "scope");
    }

    public boolean decides(String channel) {
        return client.isOn(ProxyHook.PUBLISH) && scope.applies(ProxyHook.PUBLISH, channel);
    }

    /**
     * Asks the backend; {@code onLoop} gets the decision on the connection's loop, after the decisions of
     * the connection's earlier proxied publishes, unless the connection closed first.
     */
    public void ask(Session s, Publish req, Consumer<Decision> onLoop) {
        PublishOrder.Slot slot = ProxySession.of(s.channel()).publishes().enter();
        ObjectNode body = StrictJson.object()
                .put("session_id", s.id())
                .put("transport", s.transport().label())
                .put("user", s.userId())
                .put("channel", req.getChannel())
                .put("kind", req.getKind())
                .put("payload", req.getPayload().toByteArray());
        if (!req.getIdempotencyKey().isEmpty()) {
            body.put("idempotency_key", req.getIdempotencyKey());
        }
        OnLoop.then(
                s.channel(),
                client.call(ProxyHook.PUBLISH, body, s.channel()),
                reply -> slot.complete(() -> onLoop.accept(decide(reply, req.getPayload()))));
    }

    private static Decision decide(ProxyReply reply, ByteString sent) {
        if (!reply.isAllowed()) {
            return new Decision(reply.denial(), reply.disconnect(), ByteString.EMPTY);
        }
        JsonNode result = reply.result();
        JsonNode text = result.get("text");
        if (text != null && text.isTextual()) {
            return new Decision(null, false, ByteString.copyFromUtf8(text.asText()));
        }
        JsonNode payload = result.get("payload");
        if (payload == null || payload.isNull()) {
            return new Decision(null, false, sent);
        }
        try {
            return new Decision(
                    null, false, ByteString.copyFrom(Base64.getDecoder().decode(payload.asText())));
        } catch (IllegalArgumentException e) {
            return new Decision(
                    new Denial(ErrorCode.UNAVAILABLE, "publish proxy: bad backend answer: payload is not base64"),
                    false,
                    ByteString.EMPTY);
        }
    }
}
