package io.livepush.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livepush.codec.DelimitedFrameEncoder;
import io.livepush.codec.DelimitedProtobufDecoder;
import io.livepush.codec.testing.RecordingLeakDetectorFactory;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import io.livepush.server.config.ServerConfig;
import io.livepush.server.testing.LocalServer;
import io.livepush.server.testing.Warnings;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client connection's bytes after a good {@code Connect}, fuzzed, through the TCP pipeline of a real
 * server (store, homes, dispatcher, every operation's handler) served over the in-VM transport. Per input:
 * everything the server answers is a well-formed {@code ServerFrame}; no error is {@code INTERNAL} (what an
 * exception that escapes a handler becomes) and nothing is logged at WARN; the connection either still
 * answers a ping or was closed after a fatal error; and the server as a whole still stores and
 * acknowledges a publish on another connection. No buffer leaks (paranoid detector).
 *
 * <p>Input layout: the stream (varint32-delimited {@code ClientFrame}s, or anything), then four bytes
 * saying whether to connect first (zero: yes). Seeds in {@code ClientFrameFuzzTestInputs/}.
 */
class ClientFrameFuzzTest {
    private static final long ANSWER_TIMEOUT_SECONDS = 5;
    private static final int PROBE_PING_ID = Integer.MAX_VALUE;

    private static Path dataDir;
    private static PushServer push;
    private static LocalServer server;
    private static Warnings warnings;
    private static Connection probe;
    private static String token;
    private static long nonce;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("push-fuzz");
        push = PushServer.start(ServerConfig.builder()
                .bind("127.0.0.1")
                .tcpPort(0)
                .wsPort(0)
                .adminPort(0)
                .dataDir(dataDir)
                .tokenSecret("fuzz-test-secret-0123456789abcdef0123456789")
                .apiKey("fuzz-test-api-key")
                .storeMaxMessages(200_000)
                // The probe connection lives as long as the run, and fuzzing starts slowly: no deadline for it.
                .handshakeTimeoutMs(600_000)
                .heartbeatMs(600_000)
                .build());
        server = new LocalServer(push.tcpInitializer());
        token = push.tokenIssuer()
                .issue(
                        "fuzz",
                        Duration.ofDays(1),
                        List.of(new Capability(List.of("*"), EnumSet.allOf(Operation.class))));
        probe = Connection.open(server);
        probe.timeoutSeconds = 120; // the first connection loads (and, fuzzing, instruments) most classes
        probe.connect(push.tokenIssuer()
                .issue(
                        "probe",
                        Duration.ofDays(1),
                        List.of(new Capability(List.of("*"), EnumSet.allOf(Operation.class)))));
        probe.timeoutSeconds = ANSWER_TIMEOUT_SECONDS;
        warnings = Warnings.collect();
    }

    @AfterAll
    static void stop() throws IOException {
        if (warnings != null) {
            warnings.close();
        }
        if (probe != null) {
            probe.channel.close().awaitUninterruptibly();
        }
        if (server != null) {
            server.close();
        }
        if (push != null) {
            push.close();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest
    void streamAfterConnect(FuzzedDataProvider data) throws Exception {
        boolean connect = data.consumeInt() == 0;
        byte[] all = data.consumeRemainingAsBytes();
        // Up to the last whole frame: a cut one would leave the server rightly waiting for its rest (reads
        // cut anywhere are DelimitedFrameDecoderFuzzTest's part).
        byte[] stream = Arrays.copyOf(all, wholeFrames(all, ServerConfig.DEFAULT_MAX_FRAME_BYTES));

        Connection c = Connection.open(server);
        try {
            if (connect) {
                c.connect(token);
            }
            c.channel.writeAndFlush(Unpooled.wrappedBuffer(stream));
            long mark = ++nonce;
            c.send(ClientFrame.newBuilder()
                    .setId(PROBE_PING_ID)
                    .setPing(Ping.newBuilder().setNonce(mark))
                    .build());
            for (; ; ) {
                ServerFrame f = c.next();
                assertThat(f).as("closed only after a fatal error").isNotNull();
                if (f.hasError()) {
                    assertThat(f.getError().getCode())
                            .as("error %s", f.getError())
                            .isNotEqualTo(ErrorCode.INTERNAL);
                    if (f.getError().getFatal()) {
                        break; // the server closes (LingeringClose): no need to wait for it
                    }
                }
                if (f.hasPong()
                        && f.getReplyTo() == PROBE_PING_ID
                        && f.getPong().getNonce() == mark) {
                    break;
                }
            }
        } finally {
            c.channel.close().sync();
        }
        // The server as a whole: another connection's publish is stored and acknowledged.
        probe.send(ClientFrame.newBuilder()
                .setId(1)
                .setPublish(Publish.newBuilder().setChannel("probe").setKind("k"))
                .build());
        List<ServerFrame> before = new ArrayList<>();
        ServerFrame published;
        while ((published = probe.next()) != null && published.getReplyTo() != 1) {
            before.add(published);
        }
        assertThat(published).as("probe connection open; before: %s", before).isNotNull();
        assertThat(published.hasPublished())
                .as("probe publish answered %s", published)
                .isTrue();

        assertThat(warnings.drain()).as("logged at WARN or above").isEmpty();
        RecordingLeakDetectorFactory.assertNoLeaksReported();
    }

    @Test
    void framesAfterAFatalErrorInTheSameReadAreNotRun() throws Exception {
        Connection c = Connection.open(server);
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        // One read: a Connect the server refuses (fatal), then a good Connect and a publish pipelined after it.
        ClientFrame.newBuilder()
                .setId(1)
                .setConnect(Connect.newBuilder().setToken(token).setProtocolVersion(2))
                .build()
                .writeDelimitedTo(batch);
        ClientFrame.newBuilder()
                .setId(2)
                .setConnect(Connect.newBuilder().setToken(token).setProtocolVersion(1))
                .build()
                .writeDelimitedTo(batch);
        ClientFrame.newBuilder()
                .setId(3)
                .setPublish(Publish.newBuilder().setChannel("after-fatal").setKind("k"))
                .build()
                .writeDelimitedTo(batch);
        c.channel.writeAndFlush(Unpooled.wrappedBuffer(batch.toByteArray()));

        ServerFrame refused = c.next();
        assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(refused.getError().getFatal()).isTrue();
        assertThat(c.next())
                .as("closed, nothing answered after the fatal error")
                .isNull();

        probe.send(ClientFrame.newBuilder()
                .setId(4)
                .setHistory(History.newBuilder().setChannel("after-fatal"))
                .build());
        ServerFrame history;
        while ((history = probe.next()) != null && history.getReplyTo() != 4) {
            // deliveries of other channels
        }
        assertThat(history).isNotNull();
        assertThat(history.getHistory().getMessagesList())
                .as("nothing published after the fatal error")
                .isEmpty();
    }

    /**
     * The length of the longest prefix of {@code s} that ends where a frame ends, or all of {@code s} when a
     * length prefix is bad or over {@code maxFrameBytes} (the server refuses at once, waiting for nothing).
     */
    private static int wholeFrames(byte[] s, int maxFrameBytes) {
        int i = 0;
        while (i < s.length) {
            long length = 0;
            int n = 0;
            for (; ; n++) {
                if (i + n == s.length) {
                    return i;
                }
                if (n == 5) {
                    return s.length;
                }
                length |= (long) (s[i + n] & 0x7F) << (7 * n);
                if (s[i + n] >= 0) {
                    break;
                }
            }
            if (length > maxFrameBytes) {
                return s.length;
            }
            if (i + n + 1 + length > s.length) {
                return i;
            }
            i += n + 1 + (int) length;
        }
        return i;
    }

    /** A raw client: delimited frames both ways, what the server sends queued; {@code null} marks the close. */
    private static final class Connection {
        /** Queued when the connection closes (a real frame is never the default instance: it has a body). */
        private static final ServerFrame CLOSED = ServerFrame.getDefaultInstance();

        final BlockingQueue<ServerFrame> received = new LinkedBlockingQueue<>();
        volatile Throwable undecodable;
        Channel channel;
        long timeoutSeconds = ANSWER_TIMEOUT_SECONDS;

        static Connection open(LocalServer server) throws InterruptedException {
            Connection conn = new Connection();
            BlockingQueue<ServerFrame> received = conn.received;
            conn.channel = server.connect(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel c) {
                    c.pipeline()
                            .addLast(
                                    new DelimitedProtobufDecoder<>(1 << 20, ServerFrame.parser()),
                                    DelimitedFrameEncoder.INSTANCE,
                                    new SimpleChannelInboundHandler<ServerFrame>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, ServerFrame f) {
                                            received.add(f);
                                        }

                                        @Override
                                        public void channelInactive(ChannelHandlerContext ctx) {
                                            received.add(CLOSED);
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            conn.undecodable = cause; // what the server sent does not parse
                                            ctx.close();
                                        }
                                    });
                }
            });
            return conn;
        }

        void send(ClientFrame frame) {
            channel.writeAndFlush(frame);
        }

        void connect(String token) throws InterruptedException {
            send(ClientFrame.newBuilder()
                    .setId(0)
                    .setConnect(Connect.newBuilder()
                            .setToken(token)
                            .setProtocolVersion(1)
                            .setClient("fuzz"))
                    .build());
            ServerFrame connected = next();
            assertThat(connected).isNotNull();
            assertThat(connected.hasConnected()).as("connected: %s", connected).isTrue();
        }

        /** The next frame from the server, or null once it closed; fails after the answer timeout. */
        ServerFrame next() throws InterruptedException {
            ServerFrame f = received.poll(timeoutSeconds, TimeUnit.SECONDS);
            assertThat(f)
                    .as("an answer within %d s (connection active: %s)", timeoutSeconds, channel.isActive())
                    .isNotNull();
            assertThat(undecodable).as("what the server sent parses").isNull();
            return f == CLOSED ? null : f;
        }
    }
}
