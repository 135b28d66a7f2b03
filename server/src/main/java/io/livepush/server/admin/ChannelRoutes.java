package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.PublishAck;
import io.livepush.server.channel.ChannelNames;
import io.livepush.server.codec.StrictJson;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;

/** Publish to a channel, read its info and its history. */
final class ChannelRoutes {
    private static final int DEFAULT_HISTORY_LIMIT = 100;

    private final AdminBackend backend;
    private final ToIntFunction<String> maxPayloadBytes;

    /** @param maxPayloadBytes the largest payload of a channel: its namespace's {@code max-message-bytes} */
    ChannelRoutes(AdminBackend backend, ToIntFunction<String> maxPayloadBytes) {
        this.backend = requireNonNull(backend, "backend");
        this.maxPayloadBytes = requireNonNull(maxPayloadBytes, "maxPayloadBytes");
    }

    void registerOn(RouteTable routes) {
        routes.add(HttpMethod.POST, "/api/v1/channels/{}/messages", (req, params) -> publish(req, params.get(0)))
                .add(HttpMethod.GET, "/api/v1/channels/{}/messages", (req, params) -> history(req, params.get(0)))
                .add(HttpMethod.GET, "/api/v1/channels/{}", (req, params) -> info(params.get(0)));
    }

    private static String channel(String name) {
        if (!ChannelNames.isValid(name)) {
            throw JsonErrors.badRequest("channel: expected 1-128 chars of [A-Za-z0-9._:-]");
        }
        return name;
    }

    private CompletableFuture<HttpReply> publish(AdminRequest request, String name) {
        String channel = channel(name);
        JsonNode body = request.json();
        String kind = Json.text(body, "kind");
        ByteString payload = Json.bytesOrText(body, "payload");
        int limit = maxPayloadBytes.applyAsInt(channel);
        if (payload.size() > limit) {
            throw new AdminException(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code(),
                    "LIMIT_EXCEEDED",
                    "payload: " + payload.size() + " bytes (at most " + limit + " in " + channel + "'s namespace)");
        }
        String idempotencyKey = Json.optionalText(body, "idempotency_key").orElse("");
        return backend.publish(channel, kind, payload, idempotencyKey).thenApply(ChannelRoutes::ackJson);
    }

    private static HttpReply ackJson(PublishAck ack) {
        return HttpReply.json(
                HttpResponseStatus.OK,
                StrictJson.object()
                        .put("channel", ack.getChannel())
                        .put("epoch", ack.getEpoch())
                        .put("seq", ack.getSeq()));
    }

    private CompletableFuture<HttpReply> info(String name) {
        String channel = channel(name);
        return backend.channelInfo(channel)
                .thenApply(info -> info.map(i -> HttpReply.json(
                                HttpResponseStatus.OK,
                                StrictJson.object()
                                        .put("channel", i.channel())
                                        .put("epoch", i.epoch())
                                        .put("first_seq", i.firstSeq())
                                        .put("last_seq", i.lastSeq())
                                        .put("members", i.members())
                                        .put("subscribers", i.subscribers())))
                        .orElseThrow(() -> JsonErrors.notFound("no such channel: " + channel)));
    }

    private CompletableFuture<HttpReply> history(AdminRequest request, String name) {
        String channel = channel(name);
        long sinceSeq = request.queryLong("since_seq", 0, 0, Long.MAX_VALUE);
        int limit = (int) request.queryLong("limit", DEFAULT_HISTORY_LIMIT, 1, Integer.MAX_VALUE);
        return backend.history(channel, sinceSeq, limit).thenApply(ChannelRoutes::historyJson);
    }

    private static HttpReply historyJson(HistoryResult result) {
        ObjectNode body = StrictJson.object()
                .put("channel", result.getChannel())
                .put("epoch", result.getEpoch())
                .put("first_seq", result.getFirstSeq())
                .put("last_seq", result.getLastSeq())
                .put("truncated", result.getTruncated());
        ArrayNode messages = body.putArray("messages");
        for (Message m : result.getMessagesList()) {
            messages.addObject()
                    .put("seq", m.getSeq())
                    .put("kind", m.getKind())
                    .put(
                            "payload",
                            Base64.getEncoder().encodeToString(m.getPayload().toByteArray()))
                    .put("publisher", m.getPublisher())
                    .put("timestamp_ms", m.getTimestampMs());
        }
        return HttpReply.json(HttpResponseStatus.OK, body);
    }
}
