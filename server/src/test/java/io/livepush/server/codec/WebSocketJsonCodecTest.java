package io.livepush.server.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.livepush.codec.Frames;
import io.livepush.codec.MalformedFrameException;
import io.livepush.proto.v1.ChannelResumed;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Foregrounded;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code push.v1.json} subprotocol's decoder and encoder on an {@link EmbeddedChannel}. */
class WebSocketJsonCodecTest {

    @Test
    void decodesCanonicalJson() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketJsonDecoder<>(ClientFrame.getDefaultInstance()));

        // lowerCamelCase, uint64 as a string (canonical) — and an unknown field, ignored.
        ch.writeInbound(new TextWebSocketFrame("{\"id\": 3, \"ping\": {\"nonce\": \"9\"}, \"future\": true}"));
        // original field names and uint64 as a number are accepted too.
        ch.writeInbound(new TextWebSocketFrame("{\"id\": 4, \"subscribe\": {\"channel\": \"room.a\","
                + " \"since\": {\"epoch\": \"e1\", \"seq\": 12}}}"));

        assertThat((ClientFrame) ch.readInbound()).isEqualTo(ping(3, 9));
        ClientFrame subscribe = ch.readInbound();
        assertThat(subscribe.getSubscribe().getChannel()).isEqualTo("room.a");
        assertThat(subscribe.getSubscribe().getSince().getSeq()).isEqualTo(12);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void backgroundModeFramesMapToJsonAndBack() {
        EmbeddedChannel in = new EmbeddedChannel(new WebSocketJsonDecoder<>(ClientFrame.getDefaultInstance()));
        in.writeInbound(new TextWebSocketFrame("{\"id\": 5, \"background\": {}}"));
        // since is a map keyed by channel name: a JSON object.
        in.writeInbound(new TextWebSocketFrame("{\"id\": 6, \"foreground\": {\"since\":"
                + " {\"room.a\": {\"epoch\": \"e1\", \"seq\": \"41\"}, \"user.u1\": {\"epoch\": \"e2\"}}}}"));

        assertThat(((ClientFrame) in.readInbound()).hasBackground()).isTrue();
        ClientFrame foreground = in.readInbound();
        assertThat(foreground.getForeground().getSinceMap()).containsOnlyKeys("room.a", "user.u1");
        assertThat(foreground.getForeground().getSinceMap().get("room.a").getSeq())
                .isEqualTo(41);
        assertThat(in.finish()).isFalse();

        EmbeddedChannel out = new EmbeddedChannel(new WebSocketJsonEncoder(ServerFrame.parser()));
        out.writeOutbound(ServerFrame.newBuilder()
                .setReplyTo(6)
                .setForegrounded(Foregrounded.newBuilder()
                        .addChannels(ChannelResumed.newBuilder()
                                .setChannel("room.a")
                                .setEpoch("e1")
                                .setLastSeq(45)
                                .setRecovered(true)
                                .setReplayed(4)
                                .setRoom(true)))
                .build());
        TextWebSocketFrame text = out.readOutbound();
        try {
            assertThat(text.text())
                    .isEqualTo(
                            "{\"replyTo\":6,\"foregrounded\":{\"channels\":[{\"channel\":\"room.a\","
                                    + "\"epoch\":\"e1\",\"lastSeq\":\"45\",\"recovered\":true,\"replayed\":4,\"room\":true}]}}");
        } finally {
            text.release();
        }
        assertThat(out.finish()).isFalse();
    }

    @Test
    void badJsonRaisesMalformedFrameAndLaterMessagesAreDropped() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketJsonDecoder<>(ClientFrame.getDefaultInstance()));

        assertThatThrownBy(() -> ch.writeInbound(new TextWebSocketFrame("{\"id\": ")))
                .isInstanceOf(MalformedFrameException.class);
        ch.writeInbound(new TextWebSocketFrame("{\"id\": 1}"));

        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{'id': 1}", // single quotes
                "{id: 1}", // unquoted name
                "{\"id\": 1} // a comment",
                "{\"id\": 1} trailing",
                "{\"id\": 1}{\"id\": 2}", // two documents
                "{\"id\": 1,}", // trailing comma
            })
    void onlyStrictJsonIsAccepted(String lenient) {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketJsonDecoder<>(ClientFrame.getDefaultInstance()));

        assertThatThrownBy(() -> ch.writeInbound(new TextWebSocketFrame(lenient)))
                .as(lenient)
                .isInstanceOf(MalformedFrameException.class);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void wrongFieldTypeIsMalformed() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketJsonDecoder<>(ClientFrame.getDefaultInstance()));

        assertThatThrownBy(() -> ch.writeInbound(new TextWebSocketFrame("{\"ping\": {\"nonce\": \"abc\"}}")))
                .isInstanceOf(MalformedFrameException.class);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void binaryMessageIsMalformedOnJsonSubprotocol() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketJsonDecoder<>(ClientFrame.getDefaultInstance()));

        assertThatThrownBy(() ->
                        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {0x08, 0x01}))))
                .isInstanceOf(MalformedFrameException.class);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void encodesCanonicalJsonWithoutWhitespace() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketJsonEncoder(ServerFrame.parser()));

        ch.writeOutbound(error(ErrorCode.MALFORMED_FRAME, "bad"));

        assertThat(textOf(ch.readOutbound()))
                .isEqualTo("{\"error\":{\"code\":\"MALFORMED_FRAME\",\"message\":\"bad\",\"fatal\":true}}");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void preEncodedBufferIsPrintedAsJsonAndReleased() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketJsonEncoder(ServerFrame.parser()));
        ServerFrame message = message("room-1", 42, 3);
        ByteBuf shared = Frames.encodeDelimited(ch.alloc(), message);

        ch.writeOutbound(shared.retainedDuplicate());

        assertThat(textOf(ch.readOutbound()))
                .isEqualTo("{\"message\":{\"channel\":\"room-1\",\"epoch\":\"e1\","
                        + "\"seq\":\"42\",\"kind\":\"chat\",\"payload\":\"AAEC\"}}"); // uint64 as a string,
        // bytes as base64
        assertThat(shared.refCnt()).isEqualTo(1);
        shared.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void roundTripsThroughEncoderAndDecoder() {
        EmbeddedChannel out = new EmbeddedChannel(new WebSocketJsonEncoder(ServerFrame.parser()));
        EmbeddedChannel in = new EmbeddedChannel(new WebSocketJsonDecoder<>(ServerFrame.getDefaultInstance()));
        ServerFrame sent = message("room-1", 5, 1000);

        out.writeOutbound(sent);
        in.writeInbound((Object) out.readOutbound());

        assertThat((ServerFrame) in.readInbound()).isEqualTo(sent);
        assertThat(out.finish()).isFalse();
        assertThat(in.finish()).isFalse();
    }

    private static String textOf(TextWebSocketFrame frame) {
        try {
            return frame.text();
        } finally {
            frame.release();
        }
    }

    private static ClientFrame ping(int id, long nonce) {
        return ClientFrame.newBuilder()
                .setId(id)
                .setPing(Ping.newBuilder().setNonce(nonce))
                .build();
    }

    private static ServerFrame error(ErrorCode code, String message) {
        return ServerFrame.newBuilder()
                .setError(io.livepush.proto.v1.Error.newBuilder()
                        .setCode(code)
                        .setMessage(message)
                        .setFatal(true))
                .build();
    }

    /** A message whose payload is the bytes 0, 1, 2 … */
    private static ServerFrame message(String channel, long seq, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payloadBytes; i++) {
            payload[i] = (byte) i;
        }
        return ServerFrame.newBuilder()
                .setMessage(Message.newBuilder()
                        .setChannel(channel)
                        .setEpoch("e1")
                        .setSeq(seq)
                        .setKind("chat")
                        .setPayload(ByteString.copyFrom(payload)))
                .build();
    }
}
