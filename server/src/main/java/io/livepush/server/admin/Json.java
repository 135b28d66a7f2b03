package io.livepush.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The shared mapper and the field readers that turn a malformed request body into a 400. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // A tree of our own making always serialises; this would be a bug, not bad input.
            throw new UncheckedIOException(e);
        }
    }

    /** The body as a JSON object; an empty body is an empty object when {@code optional}. */
    static JsonNode parseObject(byte[] body, boolean optional) {
        if (body.length == 0 && optional) {
            return object();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw JsonErrors.badRequest("body: not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw JsonErrors.badRequest("body: expected a JSON object");
        }
        return node;
    }

    /** A required, non-empty string field. */
    static String text(JsonNode object, String field) {
        return optionalText(object, field)
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> JsonErrors.badRequest(field + ": required (a non-empty string)"));
    }

    static Optional<String> optionalText(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw JsonErrors.badRequest(field + ": expected a string");
        }
        return Optional.of(node.textValue());
    }

    static long optionalLong(JsonNode object, String field, long defaultValue) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw JsonErrors.badRequest(field + ": expected an integer");
        }
        return node.longValue();
    }

    /** A required array of strings. */
    static List<String> texts(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || !node.isArray()) {
            throw JsonErrors.badRequest(field + ": required (an array of strings)");
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw JsonErrors.badRequest(field + ": expected an array of strings");
            }
            values.add(element.textValue());
        }
        return values;
    }
}
