package io.livepush.server.bootstrap;

/** Names of the pipeline's handlers, in pipeline order. */
final class ChannelHandlerNames {
    // first, for every transport: bytes as the socket sees them
    static final String TRAFFIC = "traffic";
    // TLS, when on: next, for every transport
    static final String TLS = "tls";
    static final String TLS_FAILURES = "tlsFailures";
    static final String SOCKET_BUDGET = "socketBudget";
    // TCP framing
    static final String FRAME_DECODER = "frameDecoder";
    // where frames leave the session (Outbox): after the TCP decoder; WebSocket binary: after its decoder; JSON: after
    // its encoder
    static final String OUTBOX = "outbox";
    // WebSocket framing, before the upgrade
    static final String HTTP_CODEC = "httpCodec";
    static final String HTTP_AGGREGATOR = "httpAggregator";
    static final String WS_UPGRADE_GUARD = "wsUpgradeGuard";
    static final String WEB_PAGES = "webPages";
    static final String WS_PROTOCOL = "wsProtocol";
    static final String WS_CODEC_INSTALLER = "wsCodecInstaller";
    // WebSocket framing, after the upgrade (the relay before the protocol handler, the rest in place of the installer)
    static final String WS_ERROR_RELAY = "wsErrorRelay";
    static final String WS_FRAME_AGGREGATOR = "wsFrameAggregator";
    static final String WS_DECODER = "wsFrameDecoder";
    static final String WS_ENCODER = "wsFrameEncoder"; // JSON only
    // the session: the same for every transport
    static final String CONNECTION_LIMIT = "connectionLimit";
    static final String DISPATCHER = "dispatcher";

    private ChannelHandlerNames() {}
}
