package io.livepush.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium child process driven over the Chrome DevTools Protocol: one page target, with
 * {@code Page.navigate} and {@code Runtime.evaluate}. Stopped by PID (its helpers first) on close.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path userDataDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket page;

    private Chromium(Process process, Path userDataDir) {
        this.process = process;
        this.userDataDir = userDataDir;
    }

    static Chromium start() throws Exception {
        Path userDataDir = Files.createTempDirectory("chromium-it");
        Process process = new ProcessBuilder(List.of(
                        BINARY.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--remote-debugging-port=0",
                        "--user-data-dir=" + userDataDir,
                        "about:blank"))
                .redirectErrorStream(true)
                .redirectOutput(userDataDir.resolve("chromium.log").toFile())
                .start();
        Chromium chromium = new Chromium(process, userDataDir);
        try {
            chromium.attach();
        } catch (Exception | Error e) {
            chromium.close();
            throw e;
        }
        return chromium;
    }

    private void attach() throws Exception {
        Path portFile = userDataDir.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int port = -1;
        while (port < 0) {
            if (!process.isAlive()) {
                throw new AssertionError("chromium exited: " + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no DevToolsActivePort within " + START_TIMEOUT + ": " + log());
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    port = Integer.parseInt(lines.get(0).trim());
                    continue;
                }
            }
            Thread.sleep(50); // the file appears once the browser listens
        }
        String wsUrl = null;
        while (wsUrl == null) {
            JsonNode targets = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    wsUrl = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (wsUrl == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no page target: " + targets);
                }
                Thread.sleep(50);
            }
        }
        page = http.newWebSocketBuilder()
                .buildAsync(URI.create(wsUrl), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    /** Sends a CDP command to the page and returns its {@code result}. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", params);
        page.sendText(command.toString(), true).join();
        JsonNode reply = answer.get(10, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new AssertionError(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** Accepts any certificate from now on: for pages of a test server with a self-signed one. */
    void ignoreCertificateErrors() throws Exception {
        call("Security.setIgnoreCertificateErrors", JSON.createObjectNode().put("ignore", true));
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Evaluates {@code expression} in the page; it must produce a JSON string, returned parsed. */
    JsonNode evaluateJson(String expression) throws Exception {
        JsonNode result = call(
                "Runtime.evaluate",
                JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
        JsonNode value = result.path("result").path("value");
        if (result.has("exceptionDetails") || !value.isTextual()) {
            return null; // the page is still loading
        }
        return JSON.readTree(value.asText());
    }

    String log() {
        try {
            return Files.readString(userDataDir.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        if (page != null) {
            page.abort();
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PushServerExtension.deleteRecursively(userDataDir);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> answer =
                            message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (answer != null) {
                        answer.complete(message);
                    }
                } catch (IOException e) {
                    // not JSON: ignore
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
