package io.livepush.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Pong;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Test messages and raw-byte helpers shared by the codec tests. */
final class TestFrames {

    private TestFrames() {}

    static ClientFrame ping(int id, long nonce) {
        return ClientFrame.newBuilder()
                .setId(id)
                .setPing(Ping.newBuilder().setNonce(nonce))
                .build();
    }

    static ClientFrame publish(String channel, int payloadBytes) {
        return ClientFrame.newBuilder()
                .setId(1)
                .setPublish(
                        Publish.newBuilder().setChannel(channel).setKind("chat").setPayload(payload(payloadBytes)))
                .build();
    }

    static ServerFrame pong(int replyTo, long nonce) {
        return ServerFrame.newBuilder()
                .setReplyTo(replyTo)
                .setPong(Pong.newBuilder().setNonce(nonce))
                .build();
    }

    static ServerFrame message(String channel, long seq, int payloadBytes) {
        return ServerFrame.newBuilder()
                .setMessage(Message.newBuilder()
                        .setChannel(channel)
                        .setEpoch("e1")
                        .setSeq(seq)
                        .setKind("chat")
                        .setPayload(payload(payloadBytes)))
                .build();
    }

    static ServerFrame error(ErrorCode code, String message) {
        return ServerFrame.newBuilder()
                .setError(io.livepush.proto.v1.Error.newBuilder()
                        .setCode(code)
                        .setMessage(message)
                        .setFatal(true))
                .build();
    }

    /** The reference encoding: protobuf's own {@code writeDelimitedTo}. */
    static byte[] delimited(MessageLite msg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            msg.writeDelimitedTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A new leak-tracked buffer holding the given unsigned byte values. */
    static ByteBuf bytes(int... values) {
        ByteBuf buf = Unpooled.buffer(values.length);
        for (int value : values) {
            buf.writeByte(value);
        }
        return buf;
    }

    /** A new leak-tracked buffer holding a copy of {@code values}. */
    static ByteBuf bytes(byte[] values) {
        return Unpooled.buffer(values.length).writeBytes(values);
    }

    /** Copies out the readable bytes of a buffer received from a channel, then releases it. */
    static byte[] readAndRelease(ByteBuf buf) {
        assertThat(buf).as("buffer from the channel").isNotNull();
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static ByteString payload(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) i;
        }
        return ByteString.copyFrom(bytes);
    }
}
