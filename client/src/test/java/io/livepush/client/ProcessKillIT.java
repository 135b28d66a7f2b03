package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.it.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server as a real process, killed with {@code kill -9} and started again from its data dir on
 * the same ports while clients stay up: tokens come from the admin API (so minting fails while the
 * server is down, and the client keeps retrying), and delivery resumes with every seq once, in order.
 */
class ProcessKillIT {
    private static final String SECRET = "process-kill-secret-0123456789abcdef012";
    private static final String API_KEY = "process-kill-api-key";
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path dataDir;
    private volatile ServerProcess server;
    private int tcpPort;
    private int adminPort;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("push-client-process");
        server = startServer(0, 0);
        tcpPort = server.tcpAddress().getPort();
        adminPort = server.adminAddress().getPort();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private ServerProcess startServer(int tcp, int admin) throws Exception {
        return ServerProcess.start(
                "--bind",
                "127.0.0.1",
                "--tcp-port",
                String.valueOf(tcp),
                "--ws-port",
                "0",
                "--admin-port",
                String.valueOf(admin),
                "--data-dir",
                dataDir.toString(),
                "--token-secret",
                SECRET,
                "--api-key",
                API_KEY,
                "--store-max-messages",
                "10000");
    }

    /** A token minted by the server's admin API: blocking HTTP, as a real backend call would be. */
    private String token(String user) {
        String body = "{\"sub\":\"" + user + "\",\"ttl_s\":3600,\"caps\":[{\"channels\":[\"*\"],"
                + "\"allow\":[\"join\",\"subscribe\",\"publish\",\"history\"]}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/v1/tokens"))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(2))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher m = TOKEN.matcher(r.body());
            if (r.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("token: " + r.statusCode() + " " + r.body());
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private PushClient client(String user, PushListener listener) {
        return PushClient.builder()
                .address(() -> new InetSocketAddress("127.0.0.1", tcpPort))
                .tokenSupplier(() -> token(user))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .requestTimeout(Duration.ofSeconds(30))
                .listener(listener)
                .build();
    }

    @Test
    void killDashNineAndRestartResumesExactlyOnce() throws Exception {
        Recorder rx = new Recorder();
        try (PushClient receiver = client("proc-rx", rx);
                PushClient publisher = client("proc-tx", new Recorder())) {
            receiver.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            receiver.join("proc.room").get(10, TimeUnit.SECONDS);

            List<Long> acks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                acks.add(publisher
                        .publish("proc.room", "chat", new byte[] {(byte) i})
                        .get(10, TimeUnit.SECONDS)
                        .getSeq());
            }
            Recorder.await("100 messages", Duration.ofSeconds(30), () -> rx.count("proc.room") >= 100);

            server.kill();
            // Published while the server is down: queued, sent once it is back.
            var pending = publisher.publish("proc.room", "chat", new byte[] {100});
            server = startServer(tcpPort, adminPort);
            acks.add(pending.get(30, TimeUnit.SECONDS).getSeq());
            for (int i = 101; i < 200; i++) {
                acks.add(publisher
                        .publish("proc.room", "chat", new byte[] {(byte) i})
                        .get(30, TimeUnit.SECONDS)
                        .getSeq());
            }

            List<Long> expected = new ArrayList<>();
            for (long s = 1; s <= 200; s++) {
                expected.add(s);
            }
            assertThat(acks).containsExactlyElementsOf(expected);
            Recorder.await("200 messages", Duration.ofSeconds(30), () -> rx.count("proc.room") >= 200);
            rx.assertExactlyOnceInOrder("proc.room", 200);
            assertThat(rx.resets).isEmpty();
        }
    }
}
