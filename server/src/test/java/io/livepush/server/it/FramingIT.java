package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Framing over a real socket (PROTOCOL.md "Framing (TCP)") and slow consumers (semantics 7): a bad
 * or stuck connection is answered and closed, and nobody else notices.
 */
class FramingIT {
    static final int MAX_FRAME_BYTES = 1024;

    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(b -> b.maxFrameBytes(MAX_FRAME_BYTES));

    /** Tiny outbound buffers and a short patience, so a consumer that reads nothing is found quickly. */
    @RegisterExtension
    static final PushServerExtension slow = new PushServerExtension(b ->
            b.writeBufferLowBytes(16 * 1024).writeBufferHighBytes(32 * 1024).slowConsumerTimeoutMs(500));

    private static final AtomicInteger rooms = new AtomicInteger();

    @Test
    void lengthAboveMaxFrameBytesIsFatalFrameTooLargeWithoutWaitingForTheBody() throws Exception {
        try (TestClient other = bystander();
                TestClient bad = server.connect("big")) {
            // varint 2000: 0xD0 0x0F (2000 = 0b1111_1010000 -> 0x50 | 0x80, 0x0F); no body follows.
            bad.sendRaw(new byte[] {(byte) 0xD0, 0x0F});
            assertFatal(bad, ErrorCode.FRAME_TOO_LARGE);
            assertStillServed(other);
        }
    }

    @Test
    void clientStillSendingTheRefusedBodyGetsTheErrorNotAReset() throws Exception {
        try (TestClient bad = server.connect("still-sending")) {
            bad.sendRaw(new byte[] {(byte) 0xD0, 0x0F});
            // The server refuses at the length, but keeps reading (and dropping) until the close: a
            // close with unread bytes would reset the connection, failing these writes or the error.
            // 16 MiB: more than the socket buffers on both sides hold.
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 256; i++) {
                bad.sendRaw(chunk);
            }
            assertFatal(bad, ErrorCode.FRAME_TOO_LARGE);
        }
    }

    @Test
    void frameOneByteOverTheLimitIsTooLargeAndOneAtTheLimitIsNot() throws Exception {
        try (TestClient ok = server.connect("edge-ok");
                TestClient bad = server.connect("edge-bad")) {
            // A Ping whose unknown field 100 pads the frame to exactly MAX_FRAME_BYTES parses (unknown fields are
            // kept).
            ok.sendRaw(paddedPing(MAX_FRAME_BYTES));
            assertThat(ok.await(ServerFrame::hasPong).getPong().getNonce()).isEqualTo(7);
            bad.sendRaw(paddedPing(MAX_FRAME_BYTES + 1));
            assertFatal(bad, ErrorCode.FRAME_TOO_LARGE);
        }
    }

    @Test
    void httpRequestIsFatalMalformedFrame() throws Exception {
        try (TestClient other = bystander();
                TestClient bad = TestClient.open(server.tcpAddress())) {
            // 'G' (0x47) reads as a length of 71; the next 71 bytes are not a ClientFrame.
            bad.sendRaw(("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: probe/1.0\r\nAccept: */*\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertFatal(bad, ErrorCode.MALFORMED_FRAME);
            assertStillServed(other);
        }
    }

    @Test
    void validLengthWithNonProtobufBodyIsFatalMalformedFrame() throws Exception {
        try (TestClient other = bystander();
                TestClient bad = server.connect("junk")) {
            bad.sendRaw(new byte[] {
                0x03, // length 3
                0x12, 0x7F, 0x00, // field 2 (connect), length-delimited, claims 127 bytes but has 1
            });
            assertFatal(bad, ErrorCode.MALFORMED_FRAME);
            assertStillServed(other);
        }
    }

    @Test
    void aFloodOfBadClientsLogsALineNowAndThenNotOneEach() throws Exception {
        try (LogLines lines = LogLines.of("io.livepush.server.handler.ConnectionErrors")) {
            for (int i = 0; i < 50; i++) {
                try (TestClient bad = server.connect("flood" + i)) {
                    bad.sendRaw(new byte[] {0x03, 0x12, 0x7F, 0x00}); // malformed, as above
                    assertThat(bad.await(ServerFrame::hasError).getError().getCode())
                            .isEqualTo(ErrorCode.MALFORMED_FRAME);
                }
            }
            assertThat(lines.containing("malformed frame"))
                    .as("at most one line per interval, with the count of the others")
                    .hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void nothingIsDeliveredAfterAFatalError() throws Exception {
        try (TestClient other = bystander();
                TestClient bad = server.connect("fatal-member")) {
            assertThat(bad.join(roomOf(other)).hasJoined()).isTrue();
            bad.sendRaw(new byte[] {0x03, 0x12, 0x7F, 0x00}); // malformed, as above

            ServerFrame error = bad.await(ServerFrame::hasError);
            assertThat(error.getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            // Published while the server waits to close the connection: it must not reach it.
            assertStillServed(other);
            assertThat(bad.nextOrClosed()).as("a frame after the fatal error").isNull();
        }
    }

    @Test
    void frameWithoutBodyIsBadRequestAndTheConnectionLivesOn() throws Exception {
        try (TestClient other = bystander();
                TestClient c = server.connect("empty")) {
            c.sendRaw(new byte[] {0x00}); // length 0: an empty ClientFrame
            ServerFrame empty = c.await(ServerFrame::hasError);
            assertThat(empty.getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(empty.getError().getFatal()).isFalse();

            ServerFrame idOnly = c.request(ClientFrame.newBuilder()); // an id, no body
            assertThat(idOnly.getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(idOnly.getError().getFatal()).isFalse();

            ServerFrame pong =
                    c.request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(3)));
            assertThat(pong.getPong().getNonce()).isEqualTo(3);
            assertThat(c.isClosedByServer()).isFalse();
            assertStillServed(other);
        }
    }

    @Test
    void slowConsumerIsClosedWhileOtherMembersGetEveryMessage() throws Exception {
        String room = "framing.slow";
        byte[] payload = new byte[16 * 1024];
        try (Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096); // before connect, so the window stays small
            stuck.connect(slow.tcpAddress(), 5000);
            stuck.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            OutputStream out = stuck.getOutputStream();
            InputStream in = stuck.getInputStream();
            ClientFrame.newBuilder()
                    .setId(1)
                    .setConnect(Connect.newBuilder()
                            .setToken(slow.tokenFor("stuck"))
                            .setProtocolVersion(1))
                    .build()
                    .writeDelimitedTo(out);
            ClientFrame.newBuilder()
                    .setId(2)
                    .setJoin(JoinRoom.newBuilder().setRoom(room))
                    .build()
                    .writeDelimitedTo(out);
            out.flush();
            assertThat(ServerFrame.parseDelimitedFrom(in).hasConnected()).isTrue();
            assertThat(ServerFrame.parseDelimitedFrom(in).getJoined().getMembers())
                    .isEqualTo(1);
            // From here on the stuck client reads nothing until the end.
            assertThat(serverSendBuffer(stuck.getLocalPort()))
                    .as("the server's send buffer is fixed, not left to autotuning (the kernel doubles SO_SNDBUF)")
                    .isEqualTo(2L * ServerConfig.DEFAULT_SOCKET_SEND_BUFFER_BYTES);

            try (TestClient member = slow.connect("member");
                    TestClient pub = slow.connect("pub")) {
                assertThat(member.join(room).getJoined().getMembers()).isEqualTo(2);
                long deadline = System.nanoTime() + 15_000_000_000L;
                int published = 0;
                while (counter(slow, "push_slow_consumers_closed_total") < 1) {
                    assertThat(System.nanoTime())
                            .as("slow consumer closed within 15 s")
                            .isLessThan(deadline);
                    assertThat(published)
                            .as("slow consumer closed within 3000 messages")
                            .isLessThan(3000);
                    ServerFrame ack = pub.request(ClientFrame.newBuilder()
                            .setPublish(Publish.newBuilder()
                                    .setChannel(room)
                                    .setKind("blob")
                                    .setPayload(ByteString.copyFrom(payload))));
                    assertThat(ack.getPublished().getSeq()).isEqualTo(++published);
                }
                assertThat(counter(slow, "push_messages_dropped_total"))
                        .as("live messages were dropped for the stuck client, not buffered")
                        .isPositive();

                List<Message> got = member.messages(room, published);
                for (int i = 0; i < published; i++) {
                    assertThat(got.get(i).getSeq())
                            .as("member got every message in order")
                            .isEqualTo(i + 1);
                }

                byte[] rest = drainUntilClosed(in);
                assertThat((long) rest.length)
                        .as("the stuck client was sent less than was published")
                        .isLessThan((long) published * payload.length);
                List<ServerFrame> frames = new ArrayList<>();
                ByteArrayInputStream restIn = new ByteArrayInputStream(rest);
                ServerFrame f;
                while ((f = ServerFrame.parseDelimitedFrom(restIn)) != null) {
                    frames.add(f);
                }
                ServerFrame last = frames.get(frames.size() - 1);
                assertThat(last.hasGoAway())
                        .as("the last frame before the close, after %s frames", frames.size())
                        .isTrue();
                assertThat(last.getGoAway().getReconnectAfterMs()).isBetween(1000, 5000);
            }
        }
    }

    /** A client in a room of its own, to check the server still serves others after a bad peer. */
    private static TestClient bystander() throws IOException {
        TestClient c = server.connect("bystander" + rooms.incrementAndGet());
        assertThat(c.join(roomOf(c)).hasJoined()).isTrue();
        return c;
    }

    private static void assertStillServed(TestClient bystander) {
        String room = roomOf(bystander);
        ServerFrame ack = bystander.publish(room, "still here");
        assertThat(ack.hasPublished()).as("%s", ack).isTrue();
        assertThat(bystander.messages(room, 1).get(0).getPayload().toStringUtf8())
                .isEqualTo("still here");
    }

    private static String roomOf(TestClient c) {
        return "framing.room" + System.identityHashCode(c);
    }

    private static void assertFatal(TestClient c, ErrorCode code) {
        ServerFrame f = c.await(ServerFrame::hasError);
        assertThat(f.getError().getCode()).isEqualTo(code);
        assertThat(f.getError().getFatal()).isTrue();
        c.awaitClosed();
    }

    /** A delimited Ping frame of exactly {@code frameBytes} bytes after its length prefix. */
    private static byte[] paddedPing(int frameBytes) throws IOException {
        ClientFrame base = ClientFrame.newBuilder()
                .setId(1)
                .setPing(Ping.newBuilder().setNonce(7))
                .build();
        // Unknown field 100, length-delimited: tag (100 << 3 | 2 = 802: 0xA2 0x06), a 2-byte length, the padding.
        int pad = frameBytes - base.getSerializedSize() - 4;
        byte[] frame = new byte[frameBytes];
        System.arraycopy(base.toByteArray(), 0, frame, 0, base.getSerializedSize());
        int at = base.getSerializedSize();
        frame[at] = (byte) 0xA2;
        frame[at + 1] = 0x06;
        frame[at + 2] = (byte) (pad & 0x7F | 0x80);
        frame[at + 3] = (byte) (pad >>> 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream prefix = CodedOutputStream.newInstance(out);
        prefix.writeUInt32NoTag(frameBytes);
        prefix.flush();
        out.write(frame);
        return out.toByteArray();
    }

    /** The kernel's send buffer size ({@code tb} of {@code ss -m}) of the server's socket to a client port. */
    private static long serverSendBuffer(int clientPort) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-tmnH", "dport = :" + clientPort)
                .redirectErrorStream(true)
                .start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor()).as(out).isZero();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\btb(\\d+)").matcher(out);
        assertThat(m.find()).as("ss output: %s", out).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Reads until the server closes the socket; returns what arrived. */
    private static byte[] drainUntilClosed(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        ByteArrayOutputStream total = new ByteArrayOutputStream();
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the stuck connection within " + TestClient.TIMEOUT, e);
        } catch (SocketException e) {
            // reset by the server: closed as well
        }
        return total.toByteArray();
    }

    private static double counter(PushServerExtension ext, String name) {
        return ext.server()
                .metrics()
                .scrape()
                .lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
