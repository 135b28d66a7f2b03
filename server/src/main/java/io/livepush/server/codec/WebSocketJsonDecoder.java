package io.livepush.server.codec;

import static java.util.Objects.requireNonNull;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.livepush.codec.MalformedFrameException;
import io.livepush.codec.WebSocketSubprotocols;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;

/**
 * Subprotocol {@code push.v1.json}: parses each text WebSocket message, the canonical protobuf JSON
 * mapping of a message (field names in lowerCamelCase or as in the .proto, 64-bit integers as strings
 * or numbers, bytes as base64, enums by name), into one protobuf message. Unknown fields are ignored,
 * as the binary form ignores them. Only strict JSON (RFC 8259) is taken: protobuf's parser is lenient
 * (single quotes, comments, unquoted names, anything after the value), so the text is checked first.
 * A binary message, or text that does not parse, raise {@link MalformedFrameException}; after that
 * all further messages are dropped until close.
 */
public final class WebSocketJsonDecoder<T extends Message> extends MessageToMessageDecoder<WebSocketFrame> {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final T prototype;
    private boolean failed;

    public WebSocketJsonDecoder(T prototype) {
        super(WebSocketFrame.class);
        this.prototype = requireNonNull(prototype, "prototype");
    }

    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (failed) {
            return;
        }
        if (!(frame instanceof TextWebSocketFrame text)) {
            failed = true;
            throw new MalformedFrameException(
                    "binary message on subprotocol " + WebSocketSubprotocols.JSON + " (expected: text)");
        }
        Message.Builder builder = prototype.newBuilderForType();
        try {
            String json = text.text();
            requireStrict(json);
            PARSER.merge(json, builder);
        } catch (Exception e) { // InvalidProtocolBufferException, and gson's unchecked ones on odd input
            failed = true;
            throw new MalformedFrameException("message is not valid push.v1 JSON: " + e.getMessage(), e);
        }
        out.add((T) builder.build());
    }

    /** One JSON value and nothing after it, without any of the lenient reader's extensions. */
    private static void requireStrict(String json) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setLenient(false);
        reader.skipValue();
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new IOException("text after the JSON value");
        }
    }
}
