package io.livepush.loadtest.wire;

import static io.livepush.loadtest.wire.WireBytes.concat;
import static io.livepush.loadtest.wire.WireBytes.mqttPublish;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.wire.Splits.Delivery;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttPublishesTest {
    private static final int QOS_1 = 0x02;

    @Test
    void everySplitGivesEachPublishAndSkipsOtherPackets() {
        byte[] bytes = concat(
                mqttPublish(0, 1, 10, 100), // one-byte remaining length
                new byte[] {(byte) 0xD0, 0}, // PINGRESP, remaining length 0
                mqttPublish(0, 2, 20, 200)); // two-byte remaining length

        Splits.assertEverySplitDelivers(
                RawFraming.MQTT.parser(), bytes, List.of(new Delivery(1, 10), new Delivery(2, 20)));
    }

    @Test
    void aPublishAboveQos0Fails() {
        assertThat(Splits.deliverFailure(
                        RawFraming.MQTT.parser(), mqttPublish(QOS_1, 1, 1, 16), mqttPublish(0, 2, 2, 16)))
                .isInstanceOf(CorruptedFrameException.class);
    }
}
