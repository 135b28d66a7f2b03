package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connected;
import io.livepush.proto.v1.ServerFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A scripted server on loopback for what a real one does not do on purpose: fall silent. */
class FakeServerIT {

    /** Accepts connections; answers Connect (heartbeat 100 ms) if told to, then never says anything again. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger accepted = new AtomicInteger();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        final List<Long> acceptedAtNanos = new CopyOnWriteArrayList<>();
        volatile int goAwayAfterMs = -1;

        SilentServer(boolean answerConnect) throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        accepted.incrementAndGet();
                        acceptedAtNanos.add(System.nanoTime());
                        sockets.add(s);
                        if (answerConnect) {
                            InputStream in = s.getInputStream();
                            ClientFrame connect = ClientFrame.parseDelimitedFrom(in);
                            OutputStream out = s.getOutputStream();
                            ServerFrame.newBuilder()
                                    .setReplyTo(connect.getId())
                                    .setConnected(Connected.newBuilder()
                                            .setSessionId("s")
                                            .setUserId("u")
                                            .setHeartbeatMs(100))
                                    .build()
                                    .writeDelimitedTo(out);
                            out.flush();
                            if (goAwayAfterMs >= 0) {
                                ServerFrame.newBuilder()
                                        .setGoAway(io.livepush.proto.v1.GoAway.newBuilder()
                                                .setReason("draining")
                                                .setReconnectAfterMs(goAwayAfterMs))
                                        .build()
                                        .writeDelimitedTo(out);
                                out.flush();
                                s.close();
                            }
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void aRequestWithNoAnswerTimesOutNamingTheRequest() throws Exception {
        try (SilentServer server = new SilentServer(false);
                PushClient client = PushClient.builder()
                        .address(server::address)
                        .tokenSupplier(() -> "t")
                        .requestTimeout(Duration.ofMillis(300))
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()) {
            client.connect();
            assertThatThrownBy(() -> client.join("lobby").get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("join lobby")
                    .hasMessageContaining("300 ms");
        }
    }

    @Test
    void aSilentConnectionIsDetectedByTheHeartbeatAndReplaced() throws Exception {
        Recorder rx = new Recorder();
        try (SilentServer server = new SilentServer(true);
                PushClient client = PushClient.builder()
                        .address(server::address)
                        .tokenSupplier(() -> "t")
                        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                        .listener(rx)
                        .build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            Recorder.await("a second connection", Duration.ofSeconds(10), () -> server.accepted.get() >= 2);
            assertThat(rx.states).contains(ConnectionState.CONNECTED, ConnectionState.DISCONNECTED);
            assertThat(rx.errors).anyMatch(e -> e.getMessage().contains("no traffic from the server"));
        }
    }

    @Test
    void goAwayDelaysTheReconnectAsAsked() throws Exception {
        try (SilentServer server = new SilentServer(true);
                PushClient client = PushClient.builder()
                        .address(server::address)
                        .tokenSupplier(() -> "t")
                        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
                        .build()) {
            server.goAwayAfterMs = 700;
            client.connect().get(5, TimeUnit.SECONDS);
            Recorder.await("a second connection", Duration.ofSeconds(10), () -> server.accepted.get() >= 2);
            long gapMs = TimeUnit.NANOSECONDS.toMillis(server.acceptedAtNanos.get(1) - server.acceptedAtNanos.get(0));
            assertThat(gapMs).as("reconnect waited reconnect_after_ms").isGreaterThanOrEqualTo(700);
        }
    }
}
