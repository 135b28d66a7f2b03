package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that pipelines requests and never reads their answers holds a bounded amount of the
 * server's memory, and the channel's home stays free for everyone else (issue 11).
 */
class BackpressureIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    private static final int MESSAGES = 300;
    private static final int MESSAGE_BYTES = 4096;
    /** Each answer is capped at about 1 MiB: unbounded, these would hold some 300 MiB of direct memory. */
    private static final int PIPELINED_HISTORIES = 300;

    @Test
    void answersToAClientThatDoesNotReadAreBounded() throws Exception {
        String room = "backpressure.history";
        publishBlobs(room, MESSAGES);
        long directBefore = usedDirectMemory();
        long rssBefore = rssBytes();

        try (RawClient stuck = RawClient.connect("bp-stuck")) {
            OutputStream out = stuck.out();
            for (int i = 0; i < PIPELINED_HISTORIES; i++) {
                ClientFrame.newBuilder()
                        .setId(2 + i)
                        .setHistory(History.newBuilder().setChannel(room).setLimit(1000))
                        .build()
                        .writeDelimitedTo(out);
            }
            out.flush();
            // From here on the stuck client reads nothing until the end.

            long peakDirect = directBefore;
            try (TestClient fresh = server.connect("bp-fresh")) {
                long started = System.nanoTime();
                assertThat(fresh.join(room).getJoined().getLastSeq()).isEqualTo(MESSAGES);
                Duration joinTook = Duration.ofNanos(System.nanoTime() - started);
                assertThat(joinTook)
                        .as("a fresh join is not queued behind the stuck client's answers")
                        .isLessThan(Duration.ofSeconds(2));
                // Give the server every chance to buffer more: it has had all requests for a while by now.
                for (int i = 0; i < 20; i++) {
                    assertThat(fresh.request(ClientFrame.newBuilder()
                                            .setHistory(History.newBuilder()
                                                    .setChannel(room)
                                                    .setLimit(1)))
                                    .hasHistory())
                            .isTrue();
                    peakDirect = Math.max(peakDirect, usedDirectMemory());
                }
            }
            long grew = peakDirect - directBefore;
            System.out.printf(
                    "direct memory %d -> %d MiB (peak), RSS %d -> %d MiB%n",
                    directBefore >> 20, peakDirect >> 20, rssBefore >> 20, rssBytes() >> 20);
            assertThat(grew).as("direct memory held for one non-reading client").isLessThan(48L << 20);
        }
    }

    @Test
    void aClientThatReadsAgainGetsEveryAnswerInOrderAndIsServedAsBefore() throws Exception {
        String room = "backpressure.resume";
        int messages = 100;
        int requests = 40; // about 400 KiB each: far above the high-water mark, so most wait at the gate
        publishBlobs(room, messages);
        try (RawClient slow = RawClient.connect("bp-resume")) {
            for (int i = 0; i < requests; i++) {
                ClientFrame.newBuilder()
                        .setId(2 + i)
                        .setHistory(History.newBuilder().setChannel(room).setLimit(messages))
                        .build()
                        .writeDelimitedTo(slow.out());
            }
            slow.out().flush();
            for (int i = 0; i < requests; i++) {
                ServerFrame answer = ServerFrame.parseDelimitedFrom(slow.in());
                assertThat(answer.getReplyTo()).isEqualTo(2 + i);
                assertThat(answer.getHistory().getMessagesCount()).isEqualTo(messages);
            }
            // Nothing is in flight any more: a new request is read and answered as on a fresh connection.
            ClientFrame.newBuilder()
                    .setId(100)
                    .setPing(Ping.newBuilder().setNonce(7))
                    .build()
                    .writeDelimitedTo(slow.out());
            slow.out().flush();
            ServerFrame pong = ServerFrame.parseDelimitedFrom(slow.in());
            assertThat(pong.getReplyTo()).isEqualTo(100);
            assertThat(pong.getPong().getNonce()).isEqualTo(7);
        }
    }

    private static void publishBlobs(String room, int count) throws Exception {
        try (TestClient pub = server.connect("bp-pub-" + room)) {
            ByteString payload = ByteString.copyFrom(new byte[MESSAGE_BYTES]);
            for (int i = 0; i < count; i++) {
                pub.send(ClientFrame.newBuilder()
                        .setPublish(Publish.newBuilder()
                                .setChannel(room)
                                .setKind("blob")
                                .setPayload(payload)));
            }
            pub.await(f -> f.hasPublished() && f.getPublished().getSeq() == count);
        }
    }

    /** A connected client on a plain socket with a small receive window, which reads only when told to. */
    private record RawClient(Socket socket, OutputStream out, InputStream in) implements AutoCloseable {
        static RawClient connect(String user) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096); // before connect, so the window stays small
            socket.connect(server.tcpAddress(), 5000);
            socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            RawClient c =
                    new RawClient(socket, new BufferedOutputStream(socket.getOutputStream()), socket.getInputStream());
            ClientFrame.newBuilder()
                    .setId(1)
                    .setConnect(
                            Connect.newBuilder().setToken(server.tokenFor(user)).setProtocolVersion(1))
                    .build()
                    .writeDelimitedTo(c.out);
            c.out.flush();
            assertThat(ServerFrame.parseDelimitedFrom(c.in).hasConnected()).isTrue();
            return c;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static long usedDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT)
                .metric()
                .usedDirectMemory();
    }

    private static long rssBytes() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }
}
