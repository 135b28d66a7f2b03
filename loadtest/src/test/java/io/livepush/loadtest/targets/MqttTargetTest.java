package io.livepush.loadtest.targets;

import org.junit.jupiter.api.extension.RegisterExtension;

/** An MQTT broker (Mosquitto) as a target, QoS 0; skipped where mosquitto is not installed. */
class MqttTargetTest extends PeerTargetTest {
    @RegisterExtension
    static final PeerProcess mosquitto = PeerProcess.mosquitto();

    @Override
    TargetKind kind() {
        return TargetKind.MQTT;
    }

    @Override
    PeerProcess peer() {
        return mosquitto;
    }
}
