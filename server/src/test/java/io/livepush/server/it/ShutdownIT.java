package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.codec.WebSocketSubprotocols;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.ServerFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server that stops tells every client connection so, on both transports and before Connect, then closes it. */
class ShutdownIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    @Test
    void stoppingSendsEveryConnectionAGoAwayThenClosesIt() throws Exception {
        try (TestClient connected = server.connect("alice");
                TestClient bare = TestClient.open(server.tcpAddress());
                WsTestClient ws = WsTestClient.open(server.webUrl(), WebSocketSubprotocols.PROTO)) {
            assertThat(ws.request(ClientFrame.newBuilder()
                                    .setConnect(Connect.newBuilder()
                                            .setToken(server.tokenFor("bob"))
                                            .setProtocolVersion(1)))
                            .hasConnected())
                    .isTrue();

            server.stop();

            for (TestClient c : new TestClient[] {connected, bare}) {
                assertThat(c.await(ServerFrame::hasGoAway).getGoAway().getReason())
                        .contains("shutting down");
                c.awaitClosed();
            }
            assertThat(ws.await(ServerFrame::hasGoAway).getGoAway().getReason()).contains("shutting down");
            ws.awaitClosed();
        }
    }
}
