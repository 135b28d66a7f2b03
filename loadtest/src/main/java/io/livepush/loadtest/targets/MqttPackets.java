package io.livepush.loadtest.targets;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

/** The few MQTT 3.1.1 packets the harness sends, and the check of the broker's CONNACK. */
final class MqttPackets {
    /** 0: no keep-alive. Runs are bounded, and a PINGREQ would only add traffic to one side. */
    private static final int KEEP_ALIVE_SECONDS = 0;

    private static final int SUBSCRIBE_PACKET_ID = 1;

    private MqttPackets() {}

    static MqttConnectMessage connect(String clientId) {
        return MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(clientId)
                .cleanSession(true)
                .keepAlive(KEEP_ALIVE_SECONDS)
                .build();
    }

    static MqttSubscribeMessage subscribe(String topic) {
        return MqttMessageBuilders.subscribe()
                .messageId(SUBSCRIBE_PACKET_ID)
                .addSubscription(MqttQoS.AT_MOST_ONCE, topic)
                .build();
    }

    /** Null when {@code connAck} accepts the connection, else why not. */
    static String refusal(MqttMessage connAck) {
        MqttConnectReturnCode code =
                ((MqttConnAckMessage) connAck).variableHeader().connectReturnCode();
        return code == MqttConnectReturnCode.CONNECTION_ACCEPTED ? null : "CONNACK " + code;
    }
}
