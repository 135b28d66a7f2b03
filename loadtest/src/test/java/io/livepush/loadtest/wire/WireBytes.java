package io.livepush.loadtest.wire;

import io.livepush.loadtest.engine.Payloads;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The test frames of every target, as they come over the wire. */
final class WireBytes {
    static final String ROOM = "room.x";

    private WireBytes() {}

    /** A {@code message} frame of our protocol, every field set, as the server sends it. */
    static ServerFrame message(long seq, long sentNanos, int payloadBytes) {
        return ServerFrame.newBuilder()
                .setMessage(Message.newBuilder()
                        .setChannel(ROOM)
                        .setEpoch("epoch-1")
                        .setSeq(seq)
                        .setKind("chat")
                        .setPayload(Payloads.sequenced(sentNanos, seq, payloadBytes))
                        .setPublisher("lt-pub")
                        .setTimestampMs(1_700_000_000_000L))
                .build();
    }

    static ServerFrame joined(long lastSeq) {
        return ServerFrame.newBuilder()
                .setReplyTo(2)
                .setJoined(RoomJoined.newBuilder().setRoom(ROOM).setLastSeq(lastSeq))
                .build();
    }

    /** Our TCP framing: each frame after its varint32 length. */
    static byte[] delimited(ServerFrame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (ServerFrame f : frames) {
                f.writeDelimitedTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An unmasked WebSocket frame with FIN set, its length in the shortest form. */
    static byte[] webSocket(int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode); // FIN, no RSV bits
        if (payload.length < 126) {
            out.write(payload.length); // MASK 0, 7-bit length
        } else if (payload.length < 65_536) {
            out.write(126); // MASK 0, 16-bit length follows
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            throw new IllegalArgumentException("payload: " + payload.length + " bytes");
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** A Redis Pub/Sub push of {@code ["message", ROOM, payload]}. */
    static byte[] resp(long seq, long sentNanos, int payloadBytes) {
        byte[] payload = Payloads.sequenced(sentNanos, seq, payloadBytes).toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*3\r\n$7\r\nmessage\r\n$" + ROOM.length() + "\r\n" + ROOM + "\r\n$" + payload.length + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** An MQTT PUBLISH at QoS 0 to ROOM (its remaining length at most two varint bytes). */
    static byte[] mqttPublish(int flags, long seq, long sentNanos, int payloadBytes) {
        byte[] payload = Payloads.sequenced(sentNanos, seq, payloadBytes).toByteArray();
        int remaining = 2 + ROOM.length() + payload.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30 | flags); // type 3 PUBLISH, DUP/QoS/RETAIN flags
        if (remaining < 128) {
            out.write(remaining);
        } else {
            out.write(0x80 | (remaining & 0x7F)); // low 7 bits, more follows
            out.write(remaining >> 7);
        }
        out.write(0); // topic length, 16-bit BE
        out.write(ROOM.length());
        out.writeBytes(ROOM.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
