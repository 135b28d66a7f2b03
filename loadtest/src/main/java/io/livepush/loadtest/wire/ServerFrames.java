package io.livepush.loadtest.wire;

import static io.livepush.loadtest.wire.WireCursor.LEN;
import static io.livepush.loadtest.wire.WireCursor.VARINT;
import static io.livepush.loadtest.wire.WireCursor.tag;
import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * The body of one {@code ServerFrame}, walked by field number where it lies. A {@code message} gives its
 * {@code seq} and the send time at the start of its {@code payload}; the fields before them are skipped by wire
 * type, those after them not read. Any other frame ({@code connected}, {@code joined}, {@code pong},
 * {@code error} …: a few per connection) is parsed and passed down the pipeline.
 *
 * <pre>
 * ServerFrame                      Message
 * +------------+----------------+  +-----------+----------+----------+-----------+---------------------+-----
 * | 1 reply_to | 10 message     |  | 1 channel | 2 epoch  | 3 seq    | 4 kind    | 5 payload           | 6 …
 * | (absent)   | length, bytes -->| skipped   | skipped  | varint   | skipped   | send nanoTime, 8 BE | unread
 * +------------+----------------+  +-----------+----------+----------+-----------+---------------------+-----
 * </pre>
 */
final class ServerFrames {
    private static final int MESSAGE = tag(10, LEN);
    private static final int SEQ = tag(3, VARINT);
    private static final int PAYLOAD = tag(5, LEN);

    private final WireCursor cursor = new WireCursor();
    private final Deliveries deliveries;

    ServerFrames(Deliveries deliveries) {
        this.deliveries = requireNonNull(deliveries, "deliveries");
    }

    /** The frame in {@code [from, to)} of {@code in}. */
    void frame(ChannelHandlerContext ctx, ByteBuf in, int from, int to, long nowNanos) {
        cursor.at(in, from, to);
        while (cursor.hasRemaining()) {
            int tag = cursor.tag();
            if (tag == MESSAGE) {
                int length = cursor.length();
                message(in, cursor.pos(), cursor.pos() + length, nowNanos);
                return;
            }
            cursor.skipField(tag);
        }
        ctx.fireChannelRead(parse(in, from, to));
    }

    private void message(ByteBuf in, int from, int to, long nowNanos) {
        cursor.at(in, from, to);
        long seq = -1;
        int payload = -1;
        int payloadLength = 0;
        while (cursor.hasRemaining() && (seq < 0 || payload < 0)) {
            int tag = cursor.tag();
            if (tag == SEQ) {
                seq = cursor.varint();
            } else if (tag == PAYLOAD) {
                payloadLength = cursor.length();
                payload = cursor.pos();
                cursor.skip(payloadLength);
            } else {
                cursor.skipField(tag);
            }
        }
        if (seq < 0 || payload < 0) {
            throw new CorruptedFrameException("message without a seq or a payload");
        }
        deliveries.accept(seq, Payloads.sentNanos(in, payload, payloadLength), nowNanos);
    }

    private static ServerFrame parse(ByteBuf in, int from, int to) {
        try {
            return ServerFrame.parseFrom(in.nioBuffer(from, to - from));
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptedFrameException("not a ServerFrame: " + e.getMessage(), e);
        }
    }
}
