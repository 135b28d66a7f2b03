package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a route needs of a request, copied out of the Netty message, which is released as soon as
 * the handler returns while the answer may still be on its way.
 */
record AdminRequest(HttpMethod method, List<String> path, Map<String, List<String>> query, byte[] body) {

    AdminRequest {
        requireNonNull(method, "method");
        path = List.copyOf(requireNonNull(path, "path"));
        query = Map.copyOf(requireNonNull(query, "query"));
        requireNonNull(body, "body");
    }

    /**
     * The decoded segments of a raw path, split before decoding so an escaped "/" stays inside its
     * segment ("+" is literal in a path); {@link IllegalArgumentException} on a malformed escape.
     */
    static List<String> pathSegments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.substring(rawPath.startsWith("/") ? 1 : 0).split("/", -1)) {
            segments.add(QueryStringDecoder.decodeComponent(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return segments;
    }

    /** Fails with a 400 on a malformed percent-encoding. */
    static AdminRequest of(FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
        List<String> segments;
        try {
            segments = pathSegments(uri.rawPath());
        } catch (IllegalArgumentException e) {
            throw JsonErrors.badRequest("path: malformed percent-encoding");
        }
        Map<String, List<String>> query;
        try {
            query = uri.parameters();
        } catch (IllegalArgumentException e) {
            throw JsonErrors.badRequest("query: malformed percent-encoding");
        }
        return new AdminRequest(request.method(), segments, query, ByteBufUtil.getBytes(request.content()));
    }

    /** The body as a JSON object (400 when it is missing or not one). */
    JsonNode json() {
        return Json.parseObject(body, false);
    }

    /** Like {@link #json()}, but an empty body reads as {@code {}}. */
    JsonNode jsonOrEmpty() {
        return Json.parseObject(body, true);
    }

    /** A query parameter as a number in {@code [min, max]}, or {@code defaultValue} when absent. */
    long queryLong(String name, long defaultValue, long min, long max) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(values.get(0));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range value
        }
        throw JsonErrors.badRequest(name + ": expected an integer in [" + min + ", " + max + "]");
    }
}
