package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections that never speak cannot exhaust the process's files: the admin port has a budget of its
 * own, counted from accept, and every port closes a connection that stays silent past the handshake
 * deadline (issue 11: 20,500 idle admin connections used to lock push clients out).
 */
class BareConnectionsIT {
    @RegisterExtension
    static final PushServerExtension server =
            new PushServerExtension(b -> b.adminMaxConnections(5).handshakeTimeoutMs(1000));

    @Test
    void bareAdminConnectionsAreCappedAndClosedAfterTheDeadlineWhileClientsAreServed() throws Exception {
        InetSocketAddress admin =
                new InetSocketAddress("127.0.0.1", URI.create(server.adminUrl()).getPort());
        List<Socket> bare = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                bare.add(open(admin));
            }
            try (Socket sixth = open(admin)) {
                assertThat(readUntilClosed(sixth.getInputStream()))
                        .as("closed at once above the admin budget")
                        .isTrue();
            }
            try (TestClient client = server.connect("bare-bystander")) {
                assertThat(client.publish("bare.room", "served").hasPublished())
                        .as("a full admin budget takes nothing from clients")
                        .isTrue();
            }
            long started = System.nanoTime();
            for (Socket s : bare) {
                assertThat(readUntilClosed(s.getInputStream()))
                        .as("a silent admin connection is closed")
                        .isTrue();
            }
            assertThat((System.nanoTime() - started) / 1_000_000)
                    .as("within about the handshake deadline")
                    .isLessThan(5_000);
            assertThat(Samples.value(server.server().metrics().scrape(), "push_sockets_refused_total{ports=\"admin\"}"))
                    .isGreaterThanOrEqualTo(1);
            AdminClient api = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
            assertThat(api.get("/api/v1/users/nobody").status())
                    .as("the admin port serves again")
                    .isEqualTo(200);
        } finally {
            for (Socket s : bare) {
                s.close();
            }
        }
    }

    @Test
    void bareWebAndTcpConnectionsAreClosedAfterTheHandshakeDeadline() throws Exception {
        try (Socket web = open(server.wsAddress());
                Socket tcp = open(server.tcpAddress())) {
            assertThat(readUntilClosed(web.getInputStream())).isTrue();
            assertThat(readUntilClosed(tcp.getInputStream())).isTrue();
        }
    }

    @Test
    void theAdminPortHasItsOwnThread() {
        assertThat(Thread.getAllStackTraces().keySet())
                .anyMatch(t -> t.getName().startsWith("push-admin"));
    }

    private static Socket open(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads (and drops) until the server closes; true when it did, false on the read timeout. */
    private static boolean readUntilClosed(InputStream in) throws IOException {
        try {
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // a TCP refusal sends a GoAway first
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }
}
