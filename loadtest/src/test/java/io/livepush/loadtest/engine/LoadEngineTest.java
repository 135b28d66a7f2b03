package io.livepush.loadtest.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadEngineTest {

    /** The addresses that {@code n} connections of an engine come from, as a loopback listener sees them. */
    private static List<String> sources(boolean manySources, int n) throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                LoadEngine engine = new LoadEngine(
                        Nodes.of(new InetSocketAddress("127.0.0.1", listener.getLocalPort())), 1, null, manySources)) {
            List<String> sources = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                engine.open(p -> p.addLast(new ChannelInboundHandlerAdapter())).syncUninterruptibly();
                try (Socket accepted = listener.accept()) {
                    sources.add(accepted.getInetAddress().getHostAddress());
                }
            }
            return sources;
        }
    }

    @Test
    void anEngineForManyConnectionsTakesLoopbackSourceAddressesInTurn() throws IOException {
        assumeTrue(Epoll.isAvailable(), "Linux only: other systems route 127.0.0.1 alone");

        assertThat(sources(true, 17))
                .startsWith("127.0.0.1", "127.0.0.2", "127.0.0.3")
                .endsWith("127.0.0.16", "127.0.0.1");
    }

    @Test
    void anyOtherEngineConnectsFrom127001() throws IOException {
        // Redis's protected mode takes only 127.0.0.1 (and ::1) for the loopback.
        assertThat(sources(false, 3)).containsOnly("127.0.0.1");
    }
}
