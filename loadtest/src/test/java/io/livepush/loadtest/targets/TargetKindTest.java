package io.livepush.loadtest.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetKindTest {

    @Test
    void labelsParseAndOnlyOurServerNeedsASecretAndPromisesNoHoles() {
        assertThat(TargetKind.parse(" Push-WS ")).isEqualTo(TargetKind.PUSH_WS);
        assertThat(TargetKind.parse("redis").defaultPort()).isEqualTo(6379);
        assertThat(TargetKind.MQTT.needsTokenSecret()).isFalse();
        assertThat(TargetKind.MQTT.lossless()).isFalse();
        assertThat(TargetKind.PUSH_TCP.lossless()).isTrue();
        assertThatThrownBy(() -> TargetKind.parse("kafka")).hasMessageContaining("push-tcp, push-ws, mqtt, redis");
        assertThatThrownBy(() -> TargetKind.PUSH_TCP.create("room.x", null, Duration.ofMinutes(1)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("tokenSecret");
    }

    @Test
    void webSocketUriPointsAtWsOrWssAndBracketsIpv6() throws Exception {
        assertThat(PushWebSocket.uri(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080), false))
                .hasToString("ws://127.0.0.1:8080/ws");
        assertThat(PushWebSocket.uri(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8443), true))
                .hasToString("wss://127.0.0.1:8443/ws");
        assertThat(PushWebSocket.uri(new InetSocketAddress(InetAddress.getByName("::1"), 8080), false)
                        .getHost())
                .startsWith("[")
                .endsWith("]");
    }
}
