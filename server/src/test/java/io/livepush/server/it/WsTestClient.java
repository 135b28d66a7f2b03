package io.livepush.server.it;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.livepush.codec.WebSocketSubprotocols;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A push.v1 client over {@link java.net.http.WebSocket}, in either subprotocol: every received
 * message is parsed into a {@link ServerFrame} and queued, so a test can wait for what it expects.
 */
final class WsTestClient implements AutoCloseable {
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer();

    private final WebSocket ws;
    private final boolean json;
    private final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Frames read but not matched yet, in arrival order. Test thread only. */
    private final java.util.ArrayDeque<ServerFrame> backlog = new java.util.ArrayDeque<>();

    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /** The text of every message as received, for checking the JSON itself. */
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

    private WsTestClient(HttpClient http, String url, String subprotocol, String origin) {
        this.json = WebSocketSubprotocols.JSON.equals(subprotocol);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TestClient.TIMEOUT);
        if (subprotocol != null) {
            builder.subprotocols(subprotocol);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        this.ws = builder.buildAsync(URI.create(url), new Listener()).join();
    }

    /** Opens {@code ws://…/ws}; a refused upgrade throws a CompletionException. */
    static WsTestClient open(String webUrl, String subprotocol) {
        return open(webUrl, subprotocol, null);
    }

    static WsTestClient open(String webUrl, String subprotocol, String origin) {
        return new WsTestClient(
                HttpClient.newHttpClient(), webUrl.replace("http://", "ws://") + "/ws", subprotocol, origin);
    }

    /** Opens {@code wss://…/ws} of {@code https://…}, trusting what {@code tls} trusts (host names verified). */
    static WsTestClient openTls(String httpsUrl, String subprotocol, SSLContext tls) {
        return new WsTestClient(
                HttpClient.newBuilder().sslContext(tls).build(),
                httpsUrl.replace("https://", "wss://") + "/ws",
                subprotocol,
                null);
    }

    String subprotocol() {
        return ws.getSubprotocol();
    }

    int send(ClientFrame.Builder frame) {
        int id = ids.incrementAndGet();
        ClientFrame f = frame.setId(id).build();
        try {
            if (json) {
                ws.sendText(JSON_PRINTER.print(f), true).join();
            } else {
                ws.sendBinary(ByteBuffer.wrap(f.toByteArray()), true).join();
            }
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        return id;
    }

    void sendText(String text) {
        ws.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Sends {@code frame} and returns the answer to it. */
    ServerFrame request(ClientFrame.Builder frame) {
        int id = send(frame);
        return await(f -> f.getReplyTo() == id);
    }

    /** The first frame matching {@code p}; frames that do not match stay queued for later calls, in order. */
    ServerFrame await(Predicate<ServerFrame> p) {
        for (java.util.Iterator<ServerFrame> it = backlog.iterator(); it.hasNext(); ) {
            ServerFrame f = it.next();
            if (p.test(f)) {
                it.remove();
                return f;
            }
        }
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        try {
            while (true) {
                ServerFrame f = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new AssertionError(
                            "no matching frame within " + TestClient.TIMEOUT + "; unmatched: " + backlog);
                }
                if (p.test(f)) {
                    return f;
                }
                backlog.add(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the server to close; returns the WebSocket close status (1006 when no close frame came). */
    int awaitClosed() {
        try {
            return closed.get(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not closed within " + TestClient.TIMEOUT, e);
        }
    }

    @Override
    public void close() {
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                texts.add(message);
                ServerFrame.Builder b = ServerFrame.newBuilder();
                try {
                    JSON_PARSER.merge(message, b);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("not push.v1 JSON: " + message, e);
                }
                frames.add(b.build());
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            try {
                Channels.newChannel(binary).write(data);
                if (last) {
                    frames.add(ServerFrame.parseFrom(binary.toByteArray()));
                    binary.reset();
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }
}
