package io.livepush.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.livepush.server.codec.StrictJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The field readers that turn a malformed request body into a 400. */
final class Json {
    private Json() {}

    /** The body as a JSON object; an empty body is an empty object when {@code optional}. */
    static JsonNode parseObject(byte[] body, boolean optional) {
        if (body.length == 0 && optional) {
            return StrictJson.object();
        }
        JsonNode node;
        try {
            node = StrictJson.read(body);
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

    /**
     * Bytes given either as base64 in {@code base64Field} or as UTF-8 {@code "text"}: exactly one of the two.
     */
    static ByteString bytesOrText(JsonNode object, String base64Field) {
        Optional<String> base64 = optionalText(object, base64Field);
        Optional<String> text = optionalText(object, "text");
        if (base64.isPresent() == text.isPresent()) {
            throw JsonErrors.badRequest("body: expected exactly one of " + base64Field + " (base64) and text");
        }
        if (text.isPresent()) {
            return ByteString.copyFromUtf8(text.get());
        }
        try {
            return ByteString.copyFrom(Base64.getDecoder().decode(base64.get()));
        } catch (IllegalArgumentException e) {
            throw JsonErrors.badRequest(base64Field + ": not valid base64");
        }
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
