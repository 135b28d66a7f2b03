package io.livepush.server.it;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A node of a cluster under test, in this JVM ({@link PushServerExtension}) or a process of its own. */
interface ClusterNode {
    InetSocketAddress tcpAddress();

    String adminUrl();

    /** A connection token for {@code user} that may do everything on every channel. */
    String tokenFor(String user);

    /** A client connected and authenticated as {@code user} with full caps. */
    default TestClient connect(String user) throws IOException {
        TestClient c = TestClient.open(tcpAddress());
        c.connect(tokenFor(user));
        return c;
    }
}
