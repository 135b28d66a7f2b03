package io.livepush.server.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper for bodies the server exchanges over HTTP: the admin API and the proxy hooks. */
public final class StrictJson {
    /** Strict: Jackson refuses single quotes and comments by default, but takes text after the value unless told. */
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // A tree of our own making always serialises; this would be a bug, not bad input.
            throw new UncheckedIOException(e);
        }
    }

    /** The body as a tree; null for an empty body. */
    public static JsonNode read(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }
}
