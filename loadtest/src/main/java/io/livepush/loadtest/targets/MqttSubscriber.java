package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.LoadUser;
import io.livepush.loadtest.engine.Receiver;
import io.livepush.loadtest.engine.Reception;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.loadtest.wire.RawFraming;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;

/**
 * CONNECT, SUBSCRIBE to one topic at QoS 0; once the broker grants it, a raw parser ({@link RawFraming#MQTT})
 * hands every PUBLISH to the {@link Reception}, with the publisher's sequence number from the payload as its
 * seq (the stream starts at 0).
 */
final class MqttSubscriber extends LoadUser<MqttMessage> implements Receiver {
    /** SUBACK return code for a refused subscription. */
    private static final int SUBACK_FAILURE = 0x80;

    private final String topic;
    private final Reception reception;

    MqttSubscriber(String user, String topic, RunStats stats) {
        super(MqttMessage.class, user, stats);
        this.topic = requireNonNull(topic, "topic");
        this.reception = new Reception(stats);
    }

    @Override
    protected void onActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(MqttPackets.connect(user));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            refuse(ctx, "undecodable packet: " + msg.decoderResult().cause());
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case CONNACK -> {
                String refusal = MqttPackets.refusal(msg);
                if (refusal == null) {
                    ctx.writeAndFlush(MqttPackets.subscribe(topic));
                } else {
                    refuse(ctx, refusal);
                }
            }
            case SUBACK -> {
                if (((MqttSubAckMessage) msg).payload().grantedQoSLevels().contains(SUBACK_FAILURE)) {
                    refuse(ctx, "SUBACK refused " + topic);
                } else {
                    reception.start(0);
                    RawFraming.MQTT.takeOver(ctx.pipeline(), reception::accept);
                    markReady();
                }
            }
            default -> {}
        }
    }

    @Override
    protected void onInactive() {
        reception.close();
    }

    @Override
    public Reception reception() {
        return reception;
    }
}
