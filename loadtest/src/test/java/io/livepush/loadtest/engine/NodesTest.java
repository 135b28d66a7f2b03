package io.livepush.loadtest.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodesTest {

    private static Nodes parse(List<String> hosts, List<Integer> ports) {
        return Nodes.parse("--host", hosts, "--port", ports);
    }

    @Test
    void oneHostAndOnePortIsOneNode() {
        Nodes n = parse(List.of("127.0.0.1"), List.of(7070));
        assertThat(n.size()).isEqualTo(1);
        assertThat(n.first()).isEqualTo(new InetSocketAddress("127.0.0.1", 7070));
        assertThat(n.label()).isEqualTo("127.0.0.1:7070");
        // The console line of a single server reads as before: the address as Java prints it.
        assertThat(n).hasToString(n.first().toString());
    }

    @Test
    void severalPortsOnOneHostAreThatManyNodesOnIt() {
        Nodes n = parse(List.of("localhost"), List.of(7070, 7071, 7072));
        assertThat(n.label()).isEqualTo("127.0.0.1:7070,127.0.0.1:7071,127.0.0.1:7072");
        assertThat(n.toString()).startsWith("3 nodes [");
    }

    @Test
    void severalHostsWithOnePortAreThatManyNodesOnIt() {
        Nodes n = parse(List.of("127.0.0.1", "127.0.0.2"), List.of(7070));
        assertThat(n.label()).isEqualTo("127.0.0.1:7070,127.0.0.2:7070");
    }

    @Test
    void listsOfEqualLengthPairUpByIndex() {
        Nodes n = parse(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"), List.of(1001, 1002, 1003));
        assertThat(n.label()).isEqualTo("127.0.0.1:1001,127.0.0.2:1002,127.0.0.3:1003");
    }

    @Test
    void usersAreDealtRoundRobinTheFirstNodeFirst() {
        Nodes n = parse(List.of("127.0.0.1"), List.of(1, 2, 3));
        assertThat(List.of(n.get(0), n.get(1), n.get(2), n.get(3), n.get(7)))
                .extracting(InetSocketAddress::getPort)
                .containsExactly(1, 2, 3, 1, 2);
        assertThat(n.get(-1).getPort()).isEqualTo(3);
    }

    @Test
    void listsThatDoNotPairAreAUsageErrorNamingBothOptions() {
        assertThatThrownBy(() -> parse(List.of("127.0.0.1", "127.0.0.2"), List.of(1, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--host 127.0.0.1,127.0.0.2")
                .hasMessageContaining("--port 1,2,3")
                .hasMessageContaining("2 hosts and 3 ports")
                .hasMessageContaining("expected: one host, one port, or as many hosts as ports");
        assertThatThrownBy(() -> Nodes.parse("--host", List.of("a", "b"), "--ws-port", List.of(1, 2, 3)))
                .hasMessageContaining("--ws-port");
    }

    @Test
    void portsOutOfRangeAndEmptyListsNameTheirOption() {
        assertThatThrownBy(() -> parse(List.of("127.0.0.1"), List.of(7070, 0)))
                .hasMessage("--port: 0 (expected: 1-65535)");
        assertThatThrownBy(() -> parse(List.of("127.0.0.1"), List.of(65_536)))
                .hasMessage("--port: 65536 (expected: 1-65535)");
        assertThatThrownBy(() -> parse(List.of(), List.of(1))).hasMessageStartingWith("--host: none");
        assertThatThrownBy(() -> parse(List.of("127.0.0.1"), List.of())).hasMessageStartingWith("--port: none");
    }

    @Test
    void everyHostOfTheListMustBeLoopback() {
        assertThatThrownBy(() -> parse(List.of("127.0.0.1", "10.0.0.1"), List.of(7070)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.1")
                .hasMessageContaining("loopback");
    }
}
