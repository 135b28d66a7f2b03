package io.livepush.server.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.codec.StrictJson;
import io.livepush.server.metrics.ProxyMeters;
import io.livepush.server.metrics.ProxyOutcome;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.session.RefusalLog;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a hook's JSON request to the backend and reads its decision, with the JDK's asynchronous HTTP
 * client: a caller on an event loop only starts the call, and the answer completes on the client's own
 * threads (callers hop back to their loop). Each hook has a bound on calls in flight; past it a call is
 * refused at once ({@code UNAVAILABLE}, outcome {@code overloaded}) instead of queued. Every call ends
 * within the timeout: the returned future never fails and never hangs.
 */
final class ProxyClient implements AutoCloseable {
    /** Caps, info or a rewritten payload: far below this; a backend that sends more is broken. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;
    /** The backend's own words go to the client and the log: bounded. */
    static final int MAX_MESSAGE_CHARS = 256;
    /** Codes a backend may pick for a refusal; anything else gets the hook's default. */
    private static final Set<ErrorCode> BACKEND_CODES =
            Set.of(ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.BAD_REQUEST, ErrorCode.LIMIT_EXCEEDED);

    private static final Logger log = LoggerFactory.getLogger(ProxyClient.class);
    /** A failing backend fails every call alike: a line now and then, not one per call. */
    private final RefusalLog unavailable = new RefusalLog(log);

    private final ProxyConfig config;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Map<ProxyHook, Lane> lanes = new EnumMap<>(ProxyHook.class);

    /** One hook's URL, its calls in flight and its meters. */
    private record Lane(HttpRequest.Builder request, AtomicInteger inFlight, ProxyMeters meters) {}

    ProxyClient(ProxyConfig config, PushMetrics metrics) {
        this.config = requireNonNull(config, "config");
        requireNonNull(metrics, "metrics");
        if (config.urls().isEmpty()) { // every hook off: no threads, no client
            this.executor = null;
            this.http = null;
            return;
        }
        // Two threads parse answers and run the callers' hops; the in-flight bounds bound their work. The client
        // hands each call to them from the event loop that makes it, so handing over must never wait: both threads
        // are started now (adding one takes the pool's lock, for as long as a thread takes to start) and the queue
        // is lock-free (a LinkedBlockingQueue's offer takes a lock).
        ThreadPoolExecutor threads =
                new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedTransferQueue<>(), r -> {
                    Thread t = new Thread(r, "push-proxy");
                    t.setDaemon(true);
                    return t;
                });
        threads.prestartAllCoreThreads();
        this.executor = threads;
        this.http = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(config.timeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        config.urls().forEach((hook, url) -> {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(url).timeout(config.timeout()).header("Content-Type", "application/json");
            config.headers().forEach(h -> request.header(h.name(), h.value()));
            AtomicInteger inFlight = new AtomicInteger();
            lanes.put(hook, new Lane(request, inFlight, metrics.proxyHook(hook.label(), inFlight::get)));
        });
    }

    boolean isOn(ProxyHook hook) {
        return lanes.containsKey(hook);
    }

    /**
     * Calls {@code hook} (which must be on) with {@code body} for {@code connection}; the future always completes
     * normally. A connection that closes first gives up its calls: their exchanges are cancelled and their places
     * among the {@code --proxy-max-in-flight} freed, so connections that ask and hang up cannot hold them until the
     * timeout.
     */
    CompletableFuture<ProxyReply> call(ProxyHook hook, ObjectNode body, Channel connection) {
        Lane lane = requireNonNull(lanes.get(hook), "hook is off");
        if (lane.inFlight.incrementAndGet() > config.maxInFlight()) {
            lane.inFlight.decrementAndGet();
            lane.meters.overloaded();
            unavailable.info("proxy overloaded", "{} proxy: {} calls in flight", hook.label(), config.maxInFlight());
            return CompletableFuture.completedFuture(ProxyReply.unavailable(
                    hook,
                    ProxyOutcome.OVERLOADED,
                    "backend busy (" + config.maxInFlight() + " calls in flight), retry shortly"));
        }
        long start = System.nanoTime();
        HttpRequest request = lane.request
                .copy()
                .POST(HttpRequest.BodyPublishers.ofByteArray(StrictJson.bytes(body)))
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange = send(request);
        GenericFutureListener<Future<Void>> abandon = closed -> exchange.cancel(true);
        connection.closeFuture().addListener(abandon);
        return exchange
                // The request timeout covers the head; this covers a body that trickles.
                .orTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    try {
                        return error == null ? read(hook, response) : failed(hook, error);
                    } catch (RuntimeException e) { // never leave a caller without an answer
                        return failed(hook, e);
                    }
                })
                .thenApply(r -> {
                    connection.closeFuture().removeListener(abandon);
                    lane.inFlight.decrementAndGet();
                    lane.meters.record(r.outcome(), System.nanoTime() - start);
                    if (r.isUnavailable() && r.outcome() != ProxyOutcome.ABANDONED) {
                        unavailable.info("proxy call failed", "{}", r.denial().message());
                    }
                    return r;
                });
    }

    private CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
        try {
            return http.sendAsync(request, LimitedBody.handler(MAX_ANSWER_BYTES));
        } catch (RuntimeException e) { // e.g. the executor is shut down: the server is closing
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ProxyReply read(ProxyHook hook, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            return ProxyReply.unavailable(hook, ProxyOutcome.ERROR, "backend answered HTTP " + response.statusCode());
        }
        JsonNode answer;
        try {
            answer = StrictJson.read(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            return ProxyReply.unavailable(hook, ProxyOutcome.ERROR, "backend answer is not a JSON object");
        }
        JsonNode error = answer.get("error");
        if (error != null && error.isObject()) {
            return ProxyReply.refused(code(hook, error.path("code").asText()), message(error, "message"), false);
        }
        JsonNode disconnect = answer.get("disconnect");
        if (disconnect != null && disconnect.isObject()) {
            return ProxyReply.refused(defaultCode(hook), message(disconnect, "reason"), true);
        }
        JsonNode result = answer.get("result");
        if (result != null && result.isObject()) {
            return ProxyReply.allowed(result);
        }
        return ProxyReply.unavailable(
                hook, ProxyOutcome.ERROR, "backend answer has no result, error or disconnect object");
    }

    private ProxyReply failed(ProxyHook hook, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
            return ProxyReply.unavailable(hook, ProxyOutcome.ABANDONED, "the connection closed before the answer");
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return ProxyReply.unavailable(
                    hook,
                    ProxyOutcome.TIMEOUT,
                    "backend did not answer within " + config.timeout().toMillis() + " ms");
        }
        String why = cause instanceof ConnectException
                ? "cannot connect to the backend"
                : cause instanceof IOException ? "backend call failed: " + cause.getMessage() : "backend call failed";
        return ProxyReply.unavailable(hook, ProxyOutcome.ERROR, why);
    }

    /** The backend's choice of code when it is one a backend may pick, else the hook's default. */
    private static ErrorCode code(ProxyHook hook, String name) {
        for (ErrorCode c : BACKEND_CODES) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return defaultCode(hook);
    }

    private static ErrorCode defaultCode(ProxyHook hook) {
        return hook == ProxyHook.CONNECT ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN;
    }

    private static String message(JsonNode node, String field) {
        String m = node.path(field).asText("");
        if (m.isEmpty()) {
            return "refused by the backend";
        }
        return m.length() > MAX_MESSAGE_CHARS ? m.substring(0, MAX_MESSAGE_CHARS) : m;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
