package io.livepush.loadtest.wire;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.Payloads;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * MQTT 3.1.1 control packets once subscribed at QoS 0: a PUBLISH gives the send time and publisher seq at the
 * start of its payload ({@link Payloads}); any other packet is skipped by its remaining length.
 *
 * <pre>
 * +-----------------+------------------+--------------+-------+----------------------------------+
 * | type 3, flags   | remaining length | topic length | topic | payload: the rest of the packet  |
 * | 1 byte, QoS 0   | varint, 1-4      | 16-bit BE    |       | send nanoTime 8 BE | seq 8 BE | … |
 * +-----------------+------------------+--------------+-------+----------------------------------+
 * </pre>
 */
final class MqttPublishes implements FrameParser {
    private static final int PUBLISH = 3;
    private static final int QOS_BITS = 0x06;
    private static final int MAX_REMAINING_LENGTH_BYTES = 4;

    private final WireCursor cursor = new WireCursor();
    private final Deliveries deliveries;

    MqttPublishes(Deliveries deliveries) {
        this.deliveries = requireNonNull(deliveries, "deliveries");
    }

    @Override
    public int parse(ChannelHandlerContext ctx, ByteBuf in, long nowNanos) {
        int start = in.readerIndex();
        int remaining = cursor.at(in, start + 1, in.writerIndex()).prefix(MAX_REMAINING_LENGTH_BYTES);
        if (remaining == WireCursor.INCOMPLETE) {
            return 1;
        }
        int body = cursor.pos();
        int end = body + FrameParser.frameLength(remaining);
        if (end > in.writerIndex()) {
            return end - in.writerIndex();
        }
        int first = in.getUnsignedByte(start);
        if (first >> 4 == PUBLISH) {
            if ((first & QOS_BITS) != 0 || remaining < 2) {
                throw new CorruptedFrameException("PUBLISH flags " + (first & 0x0F) + ", " + remaining
                        + " bytes (expected: QoS 0, as subscribed, with a topic)");
            }
            int payload = body + 2 + in.getUnsignedShort(body);
            int payloadLength = end - payload;
            deliveries.accept(
                    Payloads.seq(in, payload, payloadLength), Payloads.sentNanos(in, payload, payloadLength), nowNanos);
        }
        in.readerIndex(end);
        return 0;
    }
}
