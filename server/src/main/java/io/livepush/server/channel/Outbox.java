package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.MessageLite;
import io.livepush.codec.Frames;
import io.livepush.codec.WebSocketProtobufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Where a connection's frames leave the session for its transport. It encodes the frames written
 * from above (answers and pushes), and batches fan-out: a connection's deliveries of one event-loop
 * pass are copied into one buffer that goes out as one write when the pass ends (as Redis does with
 * a client's reply buffer). A delivery costs a copy
 * of the frame's bytes instead of a pipeline write, an outbound-buffer entry and an iovec of its own,
 * and a member that has several messages waiting gets them in one send.
 *
 * <p>It sits in the pipeline below the session handlers. Any other write or flush that passes it
 * first writes what is pending, so a connection's frames keep the order they were produced in
 * (an answer written after a delivery still follows it). A batch that reaches {@link
 * #MAX_PENDING_BYTES}, or what the channel can take before it turns unwritable, goes to the channel at
 * once, where the write-buffer water marks count it: slow consumers stay bounded as before. Confined
 * to the connection's event loop; holds no buffer between passes.
 */
public final class Outbox extends ChannelOutboundHandlerAdapter {
    /** How the connection's transport carries a pre-encoded ({@link Frames#encodeDelimited}) frame. */
    public enum Framing {
        /** TCP: the frame as it is, length prefix included; messages are encoded so. */
        DELIMITED,
        /**
         * WebSocket {@code push.v1.proto}: the frame's body as one binary message. Batches carry their
         * WebSocket headers, written here; other frames become {@code BinaryWebSocketFrame}s.
         */
        WEBSOCKET_BINARY,
        /** WebSocket JSON: nothing to coalesce or encode; every frame is re-encoded per member by the encoder below. */
        ENCODED_BELOW
    }

    /** A pass's batch for one connection goes to the channel at this size, so none grows without bound. */
    static final int MAX_PENDING_BYTES = 64 * 1024;

    private static final int INITIAL_BYTES = 512;
    /** A server's WebSocket frame header: FIN and binary opcode, then a 7-, 16- or 64-bit length, unmasked. */
    private static final int WS_FIN_BINARY = 0x82;

    private static final int WS_MAX_HEADER_BYTES = 10;

    private final Framing framing;
    private ChannelHandlerContext ctx;
    private ByteBuf pending;
    /** How large {@link #pending} may grow before it goes to the channel. */
    private int pendingLimit;
    /** True while this pass wrote here and its {@link LoopFlusher} has not flushed yet. */
    boolean flushPending;

    public Outbox(Framing framing) {
        this.framing = requireNonNull(framing, "framing");
    }

    /** The outbox in {@code ch}'s pipeline. */
    public static Outbox of(Channel ch) {
        Outbox outbox = ch.pipeline().get(Outbox.class);
        if (outbox == null) {
            throw new IllegalStateException("no outbox in the pipeline of " + ch);
        }
        return outbox;
    }

    Channel connection() {
        return ctx.channel();
    }

    /**
     * Whether every buffer this connection writes is whole frames, so that a backlog can be dropped
     * between them ({@link SlowConsumerEviction}): on TCP; a WebSocket write may be a header alone.
     */
    boolean writesWholeFrames() {
        return framing == Framing.DELIMITED;
    }

    /** On the event loop: adds {@code frame} (pre-encoded; the caller keeps its reference) to this pass's batch. */
    void append(ByteBuf frame) {
        if (framing == Framing.ENCODED_BELOW) {
            ctx.write(frame.retainedDuplicate(), ctx.voidPromise());
            return;
        }
        int from = framing == Framing.WEBSOCKET_BINARY ? Frames.bodyIndex(frame) : frame.readerIndex();
        int length = frame.writerIndex() - from;
        ByteBuf batch = pending;
        if (batch == null) {
            batch = ctx.alloc().ioBuffer(Math.max(INITIAL_BYTES, length + WS_MAX_HEADER_BYTES));
            pending = batch;
            // Taken once a batch: only this batch's writes add to the channel's backlog until it goes.
            pendingLimit = (int) Math.min(MAX_PENDING_BYTES, ctx.channel().bytesBeforeUnwritable());
        }
        if (framing == Framing.WEBSOCKET_BINARY) {
            writeWebSocketHeader(batch, length);
        }
        batch.writeBytes(frame, from, length);
        if (batch.readableBytes() >= pendingLimit) {
            writePending();
        }
    }

    /** The end of a pass: what is pending goes out. */
    void flushNow() {
        flushPending = false;
        writePending();
        ctx.flush();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        writePending();
        ctx.write(encoded(msg), promise);
    }

    /** Frames written from above (answers, pushes): encoded here, as the transport carries them. */
    private Object encoded(Object msg) {
        switch (framing) {
            case DELIMITED:
                return msg instanceof MessageLite m ? Frames.encodeDelimited(ctx.alloc(), m) : msg;
            case WEBSOCKET_BINARY:
                if (msg instanceof MessageLite || msg instanceof ByteBuf) {
                    try {
                        return WebSocketProtobufEncoder.binaryFrame(ctx.alloc(), msg);
                    } finally {
                        ReferenceCountUtil.release(msg);
                    }
                }
                return msg;
            default:
                return msg; // the encoder below has it
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writePending();
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        discardPending(); // as a close drops the writes the channel has not flushed
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardPending();
    }

    private void writePending() {
        ByteBuf batch = pending;
        if (batch != null) {
            pending = null;
            ctx.write(batch, ctx.voidPromise());
        }
    }

    private void discardPending() {
        ByteBuf batch = pending;
        if (batch != null) {
            pending = null;
            batch.release();
        }
    }

    private static void writeWebSocketHeader(ByteBuf out, int length) {
        out.writeByte(WS_FIN_BINARY);
        if (length < 126) {
            out.writeByte(length);
        } else if (length <= 0xFFFF) {
            out.writeByte(126).writeShort(length);
        } else {
            out.writeByte(127).writeLong(length);
        }
    }
}
