package io.livepush.codec;

import java.util.List;

/** The WebSocket subprotocols of push.v1 (PROTOCOL.md, "WebSocket"): one frame per WebSocket message. */
public final class WebSocketSubprotocols {
    /** Binary messages holding {@code ClientFrame} / {@code ServerFrame} bytes, no length prefix. */
    public static final String PROTO = "push.v1.proto";
    /** Text messages holding the canonical protobuf JSON mapping of the same messages. */
    public static final String JSON = "push.v1.json";
    /** Both, in the server's order of preference. */
    public static final List<String> ALL = List.of(PROTO, JSON);

    private WebSocketSubprotocols() {}
}
