package io.livepush.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP calls to the admin port, JSON in and out, with the API key unless told otherwise. */
final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String apiKey;

    AdminClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** An answer: the status, the raw body, and the body as JSON when it is JSON. */
    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    Reply get(String path) {
        return send(request(path).GET(), apiKey);
    }

    Reply post(String path, JsonNode body) {
        return post(path, body, apiKey);
    }

    /** {@code key} null sends no Authorization header. */
    Reply post(String path, JsonNode body, String key) {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                key);
    }

    Reply put(String path, JsonNode body) {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body.toString())),
                apiKey);
    }

    Reply delete(String path) {
        return send(request(path).DELETE(), apiKey);
    }

    Reply getWithKey(String path, String key) {
        return send(request(path).GET(), key);
    }

    /** Polls the channel's info until its presence is this; a channel the node does not know counts as none. */
    void awaitPresence(String channel, long members, long subscribers, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Reply info = get("/api/v1/channels/" + channel);
            boolean known = info.status() == 200;
            if ((known ? info.json().get("members").asLong() : 0) == members
                    && (known ? info.json().get("subscribers").asLong() : 0) == subscribers) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(String.format(
                        "%s at %s: not %d members and %d subscribers within %s; last seen %s",
                        channel, baseUrl, members, subscribers, within, info.body()));
            }
            Thread.sleep(50);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TestClient.TIMEOUT);
    }

    private Reply send(HttpRequest.Builder builder, String key) {
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
