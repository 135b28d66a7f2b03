package io.livepush.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.codec.testing.RecordingLeakDetectorFactory;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.testing.LocalServer;
import io.livepush.server.testing.Warnings;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The admin API with fuzzed paths, queries and bodies, through its whole pipeline (HTTP codec, API key
 * gate, aggregator, router, routes) over the in-VM transport, on the fake backend of the other admin
 * tests. Every request gets one answer in time; bad input is a 4xx with the JSON error body, never a
 * 500, and nothing is logged at WARN or above (where unexpected failures and their stack traces go).
 *
 * <p>Input layout: method, route (one of the API's with fuzzed parameters, or a fuzzed path), whether the
 * key is sent, then the body (the rest).
 */
class AdminApiFuzzTest {
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
    /** The API's routes; each {@code {}} becomes a fuzzed segment. */
    private static final String[] ROUTES = {
        "/api/v1/channels/{}/messages",
        "/api/v1/channels/{}/messages?since_seq={}&limit={}",
        "/api/v1/channels/{}",
        "/api/v1/users/{}/disconnect",
        "/api/v1/tokens",
        "/api/v1/rooms/{}/applets/{}",
        "/api/v1/rooms/{}/applets",
        "/metrics",
        "/health/live",
        "/health/ready"
    };

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long ANSWER_TIMEOUT_SECONDS = 5;

    private static PushMetrics metrics;
    private static LocalServer server;
    private static Warnings warnings;

    @BeforeAll
    static void start() throws Exception {
        metrics = new PushMetrics();
        FakeAdminBackend backend = new FakeAdminBackend();
        backend.ready = true; // a 503 from /health/ready is an answer, but not one this test looks for
        AdminServer admin = new AdminServer(
                backend,
                new FakeTokenMinter(),
                metrics,
                AdminServerExtension.API_KEY,
                AdminServerExtension.MAX_TTL_SECONDS,
                10_000,
                channel -> AdminServerExtension.MAX_PAYLOAD_BYTES);
        server = new LocalServer(admin.initializer());
        warnings = Warnings.collect();
        // Loads (and, when fuzzing, instruments) the classes of a request before the first input's clock runs.
        exchange(("POST /api/v1/rooms/r/applets/a HTTP/1.1\r\nAuthorization: Bearer " + AdminServerExtension.API_KEY
                        + "\r\nContent-Length: 12\r\n\r\n{\"text\":\"x\"}")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    @AfterAll
    static void stop() {
        warnings.close();
        server.close();
        metrics.close();
    }

    @FuzzTest
    @DictionaryEntries({
        "\"text\"",
        "\"content\"",
        "\"payload\"",
        "\"kind\"",
        "\"channel\"",
        "\"idempotency_key\"",
        "\"expected_version\"",
        "\"sub\"",
        "\"ttl_s\"",
        "\"caps\"",
        "\"channels\"",
        "\"allow\"",
        "\"publish\"",
        "\"subscribe\"",
        "\"join\"",
        "\"history\"",
        "%2F",
        "%",
        "{\"",
        "\":",
        "null",
        "true",
        "1e400"
    })
    void requests(FuzzedDataProvider data) throws Exception {
        String method = data.pickValue(METHODS);
        String path = path(data);
        boolean withKey = data.consumeProbabilityFloat() < 0.9f;
        byte[] body = data.consumeRemainingAsBytes();

        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: admin\r\n"
                        + (withKey ? "Authorization: Bearer " + AdminServerExtension.API_KEY + "\r\n" : "")
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);

        Answer answer = exchange(request.toByteArray());
        int status = answer.status;
        assertThat(status).as("%s %s: an answer, not a 5xx", method, path).isBetween(200, 499);
        if (status >= 400) {
            assertThat(answer.contentType).isEqualTo("application/json");
            JsonNode error = MAPPER.readTree(answer.body).get("error");
            assertThat(error).as("JSON error body of %s", answer.body).isNotNull();
            assertThat(error.get("code").isTextual()).isTrue();
            assertThat(error.get("message").isTextual()).isTrue();
        }
        assertThat(warnings.drain()).as("logged at WARN or above").isEmpty();
        RecordingLeakDetectorFactory.assertNoLeaksReported();
    }

    /** One of the routes with fuzzed parameters, or (sometimes) a fuzzed path; printable ASCII, no space. */
    private static String path(FuzzedDataProvider data) {
        int pick = data.consumeInt(0, ROUTES.length);
        if (pick == ROUTES.length) {
            return "/" + printable(data.consumeString(64));
        }
        String route = ROUTES[pick];
        StringBuilder path = new StringBuilder();
        int from = 0;
        for (int hole; (hole = route.indexOf("{}", from)) >= 0; from = hole + 2) {
            path.append(route, from, hole).append(printable(data.consumeString(24)));
        }
        return path.append(route.substring(from)).toString();
    }

    /** Keeps the request line one line of three words: visible ASCII only, anything else percent-encoded. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            if (b > 0x20 && b < 0x7F) {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private record Answer(int status, String contentType, String body) {}

    /** Sends raw request bytes on a fresh connection and waits for the one answer. */
    private static Answer exchange(byte[] request) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Channel ch = server.connect(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline()
                        .addLast(
                                new HttpResponseDecoder(),
                                new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                        answer.complete(new Answer(
                                                r.status().code(),
                                                r.headers().get(HttpHeaderNames.CONTENT_TYPE),
                                                r.content().toString(StandardCharsets.UTF_8)));
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        answer.completeExceptionally(new IOException("closed without an answer"));
                                    }
                                });
            }
        });
        try {
            ch.writeAndFlush(Unpooled.wrappedBuffer(request));
            return answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            ch.close().sync();
        }
    }
}
