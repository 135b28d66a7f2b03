package io.livepush.loadtest.wire;

import static io.livepush.loadtest.wire.WireCursor.LEN;
import static io.livepush.loadtest.wire.WireCursor.VARINT;
import static io.livepush.loadtest.wire.WireCursor.tag;

import io.livepush.loadtest.engine.Payloads;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * One {@code Message} as it lies in the inbound bytes: where its channel, epoch and payload are, and its seq. One
 * instance per parser, filled again by {@link #read} for every message, so nothing is allocated per message; what it
 * says holds only until the next {@code read}.
 *
 * <p>Fields are walked by number in the order they come until the seq and the payload are found; the server writes
 * them in field order, as protobuf does, so the channel and the epoch (fields 1 and 2) are found on the way, and the
 * fields after the payload are not read. A field that is absent has its default: an empty string or payload.
 *
 * <pre>
 * +-----------+----------+----------+-----------+---------------------+-----
 * | 1 channel | 2 epoch  | 3 seq    | 4 kind    | 5 payload           | 6 …
 * | where     | where    | varint   | skipped   | send nanoTime, 8 BE | unread
 * +-----------+----------+----------+-----------+---------------------+-----
 * </pre>
 */
public final class RawMessage {
    private static final int CHANNEL = tag(1, LEN);
    private static final int EPOCH = tag(2, LEN);
    private static final int SEQ = tag(3, VARINT);
    private static final int PAYLOAD = tag(5, LEN);

    private final WireCursor cursor = new WireCursor();
    private ByteBuf buf;
    private int channel;
    private int channelLength;
    private int epoch;
    private int epochLength;
    private long seq;
    private int payload;
    private int payloadLength;

    /** Reads the {@code Message} in {@code [from, to)} of {@code in}; a message without a seq is refused. */
    public RawMessage read(ByteBuf in, int from, int to) {
        buf = in;
        channelLength = 0;
        epochLength = 0;
        payloadLength = 0;
        seq = -1;
        payload = -1;
        cursor.at(in, from, to);
        while (cursor.hasRemaining() && (seq < 0 || payload < 0)) {
            int tag = cursor.tag();
            if (tag == SEQ) {
                seq = cursor.varint();
            } else if (tag == PAYLOAD) {
                payloadLength = cursor.length();
                payload = cursor.pos();
                cursor.skip(payloadLength);
            } else if (tag == CHANNEL) {
                channelLength = cursor.length();
                channel = cursor.pos();
                cursor.skip(channelLength);
            } else if (tag == EPOCH) {
                epochLength = cursor.length();
                epoch = cursor.pos();
                cursor.skip(epochLength);
            } else {
                cursor.skipField(tag);
            }
        }
        if (seq < 0) {
            throw new CorruptedFrameException("message without a seq");
        }
        return this;
    }

    public long seq() {
        return seq;
    }

    /** Whether the channel is {@code name} (UTF-8). */
    public boolean channelIs(byte[] name) {
        return same(channel, channelLength, name);
    }

    /** Whether the epoch is {@code name} (UTF-8). */
    public boolean epochIs(byte[] name) {
        return same(epoch, epochLength, name);
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** The send time at the start of the payload; refused if the payload is too short to hold one. */
    public long sentNanos() {
        return Payloads.sentNanos(buf, payload, payloadLength);
    }

    /** The cursor still points at this message's buffer: {@link #read} pointed it there. */
    private boolean same(int from, int length, byte[] name) {
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (cursor.byteAt(from + i) != name[i]) {
                return false;
            }
        }
        return true;
    }
}
