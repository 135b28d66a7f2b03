package io.livepush.server.bootstrap;

import static io.livepush.server.bootstrap.ChannelHandlerNames.CONNECTION_LIMIT;
import static io.livepush.server.bootstrap.ChannelHandlerNames.DISPATCHER;
import static io.livepush.server.bootstrap.ChannelHandlerNames.EXCEPTION;
import static io.livepush.server.bootstrap.ChannelHandlerNames.FLUSH_CONSOLIDATION;
import static io.livepush.server.bootstrap.ChannelHandlerNames.FRAME_DECODER;
import static io.livepush.server.bootstrap.ChannelHandlerNames.FRAME_ENCODER;
import static io.livepush.server.bootstrap.ChannelHandlerNames.IDLE;
import static io.livepush.server.bootstrap.ChannelHandlerNames.LIFECYCLE;
import static io.livepush.server.bootstrap.ChannelHandlerNames.PROTOBUF_DECODER;

import io.livepush.codec.DelimitedFrameEncoder;
import io.livepush.codec.ProtobufFrameDecoder;
import io.livepush.codec.VarintFrameDecoder;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.server.handler.FrameDispatcher;
import io.livepush.server.session.ConnectionLifecycle;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a TCP client connection:
 * <pre>
 *  flush consolidation → idle (heartbeat) → varint frame decoder (size cap) → ClientFrame decoder
 *  → ServerFrame encoder → connection limit → lifecycle (session) → dispatcher → exceptions
 * </pre>
 * Fan-out writes pre-encoded {@code ByteBuf}s, which pass the encoder untouched.
 */
final class TcpChannelInitializer extends ChannelInitializer<Channel> {
    private final int maxFrameBytes;
    private final long readerIdleMs;
    private final WriteBufferWaterMark waterMark;
    private final ConnectionLimitHandler connectionLimit;
    private final ConnectionLifecycle lifecycle;
    private final FrameDispatcher dispatcher;
    private final ExceptionHandler exceptionHandler;

    TcpChannelInitializer(int maxFrameBytes, long readerIdleMs, WriteBufferWaterMark waterMark,
                          ConnectionLimitHandler connectionLimit, ConnectionLifecycle lifecycle,
                          FrameDispatcher dispatcher, ExceptionHandler exceptionHandler) {
        this.maxFrameBytes = maxFrameBytes;
        this.readerIdleMs = readerIdleMs;
        this.waterMark = waterMark;
        this.connectionLimit = connectionLimit;
        this.lifecycle = lifecycle;
        this.dispatcher = dispatcher;
        this.exceptionHandler = exceptionHandler;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setWriteBufferWaterMark(waterMark);
        ChannelPipeline p = ch.pipeline();
        // First: fan-out flushes once per member per message; this turns them into one flush per loop pass.
        p.addLast(FLUSH_CONSOLIDATION, new FlushConsolidationHandler(256, true));
        p.addLast(IDLE, new IdleStateHandler(readerIdleMs, 0, 0, TimeUnit.MILLISECONDS));
        p.addLast(FRAME_DECODER, new VarintFrameDecoder(maxFrameBytes));
        p.addLast(PROTOBUF_DECODER, new ProtobufFrameDecoder<>(ClientFrame.parser()));
        p.addLast(FRAME_ENCODER, DelimitedFrameEncoder.INSTANCE);
        p.addLast(CONNECTION_LIMIT, connectionLimit);
        p.addLast(LIFECYCLE, lifecycle);
        p.addLast(DISPATCHER, dispatcher);
        p.addLast(EXCEPTION, exceptionHandler);
    }
}
