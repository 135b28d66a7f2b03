package io.livepush.server.bootstrap;

/** Names of the pipeline's handlers, in pipeline order. */
final class ChannelHandlerNames {
    static final String CONNECTION_LIMIT = "connectionLimit";
    static final String FLUSH_CONSOLIDATION = "flushConsolidation";
    static final String IDLE = "idle";
    static final String FRAME_DECODER = "frameDecoder";
    static final String PROTOBUF_DECODER = "protobufDecoder";
    static final String FRAME_ENCODER = "frameEncoder";
    static final String LIFECYCLE = "lifecycle";
    static final String DISPATCHER = "dispatcher";
    static final String EXCEPTION = "exception";

    private ChannelHandlerNames() {
    }
}
