package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletSync;
import io.livepush.proto.v1.AppletUpdate;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribe;
import io.livepush.proto.v1.SwitchRoom;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A raw protocol client over a real socket: writes {@link ClientFrame}s, and a reader thread queues
 * every {@link ServerFrame} so a test can wait for what it expects, with a deadline.
 */
public final class TestClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Frames read but not yet matched by {@link #await}, in arrival order. Test thread only. */
    private final ArrayDeque<ServerFrame> backlog = new ArrayDeque<>();

    private volatile boolean closedByServer;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream());
        Thread reader = new Thread(this::readLoop, "test-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static TestClient open(InetSocketAddress address) throws IOException {
        return open(address, null);
    }

    /** From {@code localHost} (e.g. 127.0.0.2, another loopback address), or the default when null. */
    public static TestClient open(InetSocketAddress address, String localHost) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        if (localHost != null) {
            s.bind(new InetSocketAddress(localHost, 0));
        }
        s.connect(address, 5000);
        return new TestClient(s);
    }

    /** Over TLS, trusting what {@code context} trusts, with host name verification; returns after the handshake. */
    public static TestClient openTls(InetSocketAddress address, SSLContext context) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
        SSLParameters params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(params);
        s.setTcpNoDelay(true);
        s.connect(address, 5000);
        s.startHandshake();
        return new TestClient(s);
    }

    /** The TLS session of a client from {@link #openTls}. */
    public SSLSession tlsSession() {
        return ((SSLSocket) socket).getSession();
    }

    private void readLoop() {
        try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
            ServerFrame f;
            while ((f = ServerFrame.parseDelimitedFrom(in)) != null) {
                frames.add(f);
            }
        } catch (IOException e) {
            // the socket closed: fall through
        }
        closedByServer = true;
    }

    /** Sends a frame with the next id and returns that id. */
    public synchronized int send(ClientFrame.Builder frame) {
        int id = ids.incrementAndGet();
        try {
            frame.setId(id).build().writeDelimitedTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return id;
    }

    /** Writes raw bytes, for framing tests. */
    public synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends and waits for the answer carrying this request's id. */
    public ServerFrame request(ClientFrame.Builder frame) {
        int id = send(frame);
        return await(f -> f.getReplyTo() == id);
    }

    public ServerFrame connect(String token) {
        ServerFrame answer = request(ClientFrame.newBuilder()
                .setConnect(Connect.newBuilder()
                        .setToken(token)
                        .setProtocolVersion(1)
                        .setClient("test")));
        assertThat(answer.hasConnected()).as("connect answer %s", answer).isTrue();
        return answer;
    }

    public ServerFrame join(String room) {
        return request(ClientFrame.newBuilder().setJoin(JoinRoom.newBuilder().setRoom(room)));
    }

    public ServerFrame join(String room, Position since) {
        return request(ClientFrame.newBuilder()
                .setJoin(JoinRoom.newBuilder().setRoom(room).setSince(since)));
    }

    public ServerFrame switchRoom(String room) {
        return request(
                ClientFrame.newBuilder().setSwitchRoom(SwitchRoom.newBuilder().setRoom(room)));
    }

    public ServerFrame subscribe(String channel) {
        return request(
                ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder().setChannel(channel)));
    }

    public ServerFrame subscribe(String channel, Position since) {
        return request(ClientFrame.newBuilder()
                .setSubscribe(Subscribe.newBuilder().setChannel(channel).setSince(since)));
    }

    public ServerFrame publish(String channel, String text) {
        return request(ClientFrame.newBuilder()
                .setPublish(Publish.newBuilder()
                        .setChannel(channel)
                        .setKind("chat")
                        .setPayload(ByteString.copyFrom(text, StandardCharsets.UTF_8))));
    }

    public ServerFrame appletUpdate(String room, String appletId, String content, long expectedVersion) {
        return request(appletUpdateFrame(room, appletId, content, expectedVersion));
    }

    public static ClientFrame.Builder appletUpdateFrame(
            String room, String appletId, String content, long expectedVersion) {
        return ClientFrame.newBuilder()
                .setAppletUpdate(AppletUpdate.newBuilder()
                        .setRoom(room)
                        .setAppletId(appletId)
                        .setContent(ByteString.copyFromUtf8(content))
                        .setExpectedVersion(expectedVersion));
    }

    public ServerFrame appletSync(String room, String appletId, long knownVersion) {
        return request(ClientFrame.newBuilder()
                .setAppletSync(AppletSync.newBuilder()
                        .setRoom(room)
                        .setAppletId(appletId)
                        .setKnownVersion(knownVersion)));
    }

    /** The first frame matching {@code p}; other frames stay queued, in order, for later awaits. */
    public ServerFrame await(Predicate<ServerFrame> p) {
        for (Iterator<ServerFrame> it = backlog.iterator(); it.hasNext(); ) {
            ServerFrame f = it.next();
            if (p.test(f)) {
                it.remove();
                return f;
            }
        }
        while (true) {
            ServerFrame f = next();
            if (p.test(f)) {
                return f;
            }
            backlog.add(f);
        }
    }

    /** The first frame matching {@code p}, discarding every frame before it (for ordering checks). */
    public ServerFrame skipUntil(Predicate<ServerFrame> p) {
        ServerFrame f;
        do {
            f = backlog.isEmpty() ? next() : backlog.poll();
        } while (!p.test(f));
        return f;
    }

    private ServerFrame next() {
        try {
            ServerFrame f = frames.poll(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError(
                        "no matching frame within " + TIMEOUT + (closedByServer ? " (closed by server)" : ""));
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next {@code n} channel messages of {@code channel}, skipping other frames. */
    public List<Message> messages(String channel, int n) {
        List<Message> got = new ArrayList<>(n);
        while (got.size() < n) {
            got.add(await(f -> f.hasMessage() && f.getMessage().getChannel().equals(channel))
                    .getMessage());
        }
        return got;
    }

    /** The next frame, or null if none arrives within {@code wait} (for asserting silence). */
    public ServerFrame poll(Duration wait) throws InterruptedException {
        return backlog.isEmpty() ? frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS) : backlog.poll();
    }

    /**
     * The next frame, or null once the server has closed the connection and every frame it sent has
     * been taken; fails if neither happens within {@link #TIMEOUT}.
     */
    public ServerFrame nextOrClosed() throws InterruptedException {
        if (!backlog.isEmpty()) {
            return backlog.poll();
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ServerFrame f = frames.poll(20, TimeUnit.MILLISECONDS);
            if (f != null) {
                return f;
            }
            if (closedByServer) {
                return frames.poll(); // the reader queues every frame before it sets the flag
            }
        }
        throw new AssertionError("neither a frame nor a close within " + TIMEOUT);
    }

    /** Waits until the server closed the connection. */
    public void awaitClosed() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!closedByServer) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("server did not close the connection within " + TIMEOUT);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5); // polling a flag with a deadline: no latch exists for a remote close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public boolean isClosedByServer() {
        return closedByServer;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** No message trails what was expected: a ping's round trip flushes the connection, then nothing else. */
    public void assertNoMoreMessages() throws InterruptedException {
        ServerFrame pong =
                request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(1)));
        assertThat(pong.hasPong()).isTrue();
        ServerFrame extra;
        while ((extra = poll(Duration.ZERO)) != null) {
            assertThat(extra.hasMessage()).as("unexpected frame %s", extra).isFalse();
        }
    }
}
