package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepush.server.codec.StrictJson;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer before it becomes a Netty response: plain bytes, so a route can build it on any thread
 * without holding a buffer that might leak if the connection is gone by then.
 */
record HttpReply(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    HttpReply {
        requireNonNull(status, "status");
        requireNonNull(contentType, "contentType");
        requireNonNull(body, "body");
        headers = Map.copyOf(requireNonNull(headers, "headers"));
    }

    static HttpReply json(HttpResponseStatus status, JsonNode node) {
        return new HttpReply(status, HttpHeaderValues.APPLICATION_JSON.toString(), StrictJson.bytes(node), Map.of());
    }

    static HttpReply text(HttpResponseStatus status, String contentType, String text) {
        return new HttpReply(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    HttpReply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, contentType, body, more);
    }
}
