package io.livepush.loadtest.wire;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.Payloads;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;

/**
 * Redis Pub/Sub pushes (RESP2) once subscribed: each is an array of three bulk strings, of which only the
 * lengths and the payload's first 16 bytes (send time, publisher seq: {@link Payloads}) are read.
 *
 * <pre>
 * *3\r\n $7\r\n message\r\n   $n\r\n channel\r\n   $m\r\n payload\r\n
 * +-------------------------+ +-----------------+ +------------------------------------------+
 * | fixed head, 17 bytes    | | channel, skipped| | send nanoTime 8 BE | seq 8 BE | zeros …   |
 * +-------------------------+ +-----------------+ +------------------------------------------+
 * </pre>
 */
final class RespMessages implements FrameParser {
    private static final byte[] HEAD = "*3\r\n$7\r\nmessage\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEAD_BYTES = HEAD.length;
    private static final int CRLF = 2;
    private static final int INCOMPLETE = -1;

    private final Deliveries deliveries;
    /** Reads the bytes as {@link PushTcpFrames}' cursor does: the same cost per byte for both targets. */
    private final WireCursor bytes = new WireCursor();
    /** The length of the bulk string {@link #bulk} found last. */
    private int bulkLength;

    RespMessages(Deliveries deliveries) {
        this.deliveries = requireNonNull(deliveries, "deliveries");
    }

    @Override
    public int parse(ChannelHandlerContext ctx, ByteBuf in, long nowNanos) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (end - start < HEAD_BYTES) {
            return HEAD_BYTES - (end - start);
        }
        bytes.at(in, start, end);
        if (!isHead(start)) {
            throw new CorruptedFrameException("not a Pub/Sub message: " + ByteBufUtil.hexDump(in, start, HEAD_BYTES));
        }
        int channel = bulk(in, start + HEAD_BYTES, end);
        if (channel == INCOMPLETE) {
            return 1;
        }
        int payload = bulk(in, channel + bulkLength + CRLF, end);
        if (payload == INCOMPLETE) {
            return 1;
        }
        int payloadLength = bulkLength;
        int next = payload + payloadLength + CRLF;
        if (next > end) {
            return next - end;
        }
        deliveries.accept(
                Payloads.seq(in, payload, payloadLength), Payloads.sentNanos(in, payload, payloadLength), nowNanos);
        in.readerIndex(next);
        return 0;
    }

    private boolean isHead(int from) {
        for (int i = 0; i < HEAD_BYTES; i++) {
            if (bytes.byteAt(from + i) != HEAD[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index of the first byte of the bulk string whose {@code $<length>\r\n} starts at {@code from}, its length
     * in {@link #bulkLength}; {@link #INCOMPLETE} if that line has not all arrived.
     */
    private int bulk(ByteBuf in, int from, int end) {
        int cr = from + 1;
        while (cr < end && bytes.byteAt(cr) != '\r') {
            cr++;
        }
        if (cr + 1 >= end) {
            return INCOMPLETE;
        }
        if (bytes.byteAt(from) != '$') {
            throw new CorruptedFrameException("expected a bulk string at " + (from - in.readerIndex()));
        }
        long length = 0;
        for (int i = from + 1; i < cr; i++) {
            int digit = bytes.byteAt(i) - '0';
            if (digit < 0 || digit > 9 || i - from > 10) {
                throw new CorruptedFrameException("bad bulk string length");
            }
            length = length * 10 + digit;
        }
        bulkLength = FrameParser.frameLength(length);
        return cr + CRLF;
    }
}
