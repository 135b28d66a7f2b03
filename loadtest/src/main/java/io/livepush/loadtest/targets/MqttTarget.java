package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Receiver;
import io.livepush.loadtest.engine.Sender;
import io.livepush.loadtest.stats.RunStats;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;

/** An MQTT 3.1.1 broker, QoS 0 both ways, clean sessions; the room name is the topic. */
final class MqttTarget implements Target {
    private final String topic;

    MqttTarget(String topic) {
        this.topic = requireNonNull(topic, "topic");
    }

    @Override
    public TargetKind kind() {
        return TargetKind.MQTT;
    }

    @Override
    public Receiver subscriber(String user, RunStats stats) {
        return new MqttSubscriber(user, topic, stats);
    }

    /** QoS 0 publishes are not answered: only writability bounds what is in flight. */
    @Override
    public Sender publisher(String user, int payloadBytes, int maxInFlight, RunStats stats) {
        return new MqttPublisher(user, topic, payloadBytes, stats);
    }

    @Override
    public ChannelFuture connect(LoadEngine engine, int node, ChannelHandler user) {
        return engine.open(
                node,
                p -> p.addLast(new MqttDecoder(LoadEngine.MAX_FRAME_BYTES))
                        .addLast(MqttEncoder.INSTANCE)
                        .addLast(user));
    }
}
