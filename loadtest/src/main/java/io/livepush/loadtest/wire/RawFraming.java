package io.livepush.loadtest.wire;

import static java.util.Objects.requireNonNull;

import io.livepush.codec.DelimitedProtobufDecoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.redis.RedisDecoder;
import java.util.function.Function;

/**
 * Every target's subscriber does the same minimal work per message once subscribed: a raw parser finds the
 * message's length, its seq and its send time where they lie, and hands them to the subscriber's reception.
 * Until then the target's usual codec answers the handshake (connect, authenticate, join or SUBSCRIBE), whose
 * decoder {@link #takeOver} replaces: the bytes that decoder still holds are handed on to the raw parser.
 *
 * @param decoder the target's decoder of inbound bytes, replaced
 * @param parser  the raw parser of the target's frames, for a subscriber's deliveries
 */
public record RawFraming(Class<? extends ChannelHandler> decoder, Function<Deliveries, FrameParser> parser) {
    static final String NAME = "raw-stream";

    /** Our TCP protocol: varint32-delimited {@code ServerFrame}s. */
    public static final RawFraming PUSH_TCP =
            new RawFraming(DelimitedProtobufDecoder.class, d -> new PushTcpFrames(new ServerFrames(timed(d))));
    /** Our WebSocket endpoint: one {@code ServerFrame} per binary frame; replaces the handshaker's frame decoder. */
    public static final RawFraming PUSH_WS =
            new RawFraming(WebSocketFrameDecoder.class, d -> new WebSocketFrames(new ServerFrames(timed(d))));
    /**
     * Redis Pub/Sub pushes. The aggregators behind the replaced decoder stay in the pipeline, idle: nothing
     * reaches them any more.
     */
    public static final RawFraming REDIS = new RawFraming(RedisDecoder.class, RespMessages::new);
    /** MQTT PUBLISH packets at QoS 0. */
    public static final RawFraming MQTT = new RawFraming(MqttDecoder.class, MqttPublishes::new);

    public RawFraming {
        requireNonNull(decoder, "decoder");
        requireNonNull(parser, "parser");
    }

    /** From now on, {@code p}'s inbound bytes go to a raw parser that hands each message to {@code deliveries}. */
    public void takeOver(ChannelPipeline p, Deliveries deliveries) {
        p.replace(decoder, NAME, new RawStream(parser.apply(deliveries)));
    }

    /**
     * From now on, {@code p}'s inbound bytes on our TCP protocol go to a raw parser that hands each message to
     * {@code messages} as it lies, channel and epoch included: for a user with several memberships.
     */
    public static void takeOverPushTcp(ChannelPipeline p, RawMessages messages) {
        p.replace(PUSH_TCP.decoder, NAME, new RawStream(new PushTcpFrames(new ServerFrames(messages))));
    }

    /** A subscriber's messages all carry their send time. */
    private static RawMessages timed(Deliveries deliveries) {
        return (m, nowNanos) -> deliveries.accept(m.seq(), m.sentNanos(), nowNanos);
    }
}
