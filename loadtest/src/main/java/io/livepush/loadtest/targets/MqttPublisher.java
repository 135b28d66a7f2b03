package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.LoadUser;
import io.livepush.loadtest.engine.Pacing;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.engine.PublishLoop;
import io.livepush.loadtest.engine.Sender;
import io.livepush.loadtest.stats.RunStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** CONNECT, then PUBLISH at QoS 0 (unanswered) with the send time and a sequence number in the payload. */
final class MqttPublisher extends LoadUser<MqttMessage> implements Sender {
    private static final MqttFixedHeader PUBLISH_QOS0 =
            new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, false, 0);

    private final String topic;
    private final int payloadBytes;
    private final PublishLoop loop;

    MqttPublisher(String user, String topic, int payloadBytes, RunStats stats) {
        super(MqttMessage.class, user, stats);
        this.topic = requireNonNull(topic, "topic");
        this.payloadBytes = Payloads.requireSequenced(payloadBytes);
        this.loop = PublishLoop.unanswered(this::write, stats);
    }

    @Override
    protected void onActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(MqttPackets.connect(user));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            refuse(ctx, "undecodable packet: " + msg.decoderResult().cause());
        } else if (msg.fixedHeader().messageType() == MqttMessageType.CONNACK) {
            String refusal = MqttPackets.refusal(msg);
            if (refusal == null) {
                markReady();
            } else {
                refuse(ctx, refusal);
            }
        }
    }

    @Override
    public CompletableFuture<Void> start(Pacing pacing, LongSupplier slowestProgress, Duration duration) {
        return loop.start(channel(), pacing, slowestProgress, duration);
    }

    /** Built by hand: {@code MqttMessageBuilders.publish()} copies the payload into a new buffer and never releases ours. */
    private void write(Channel ch, long seq, long sentNanos) {
        ch.write(
                new MqttPublishMessage(
                        PUBLISH_QOS0,
                        new MqttPublishVariableHeader(topic, 0),
                        Payloads.sequenced(ch.alloc(), sentNanos, seq, payloadBytes)),
                ch.voidPromise());
    }

    /** The publisher numbers the messages itself: the last one it wrote. */
    @Override
    public long finalSeq() {
        return loop.sent();
    }
}
