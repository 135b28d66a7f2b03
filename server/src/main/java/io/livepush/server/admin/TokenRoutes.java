package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import io.livepush.server.channel.ChannelNames;
import io.livepush.server.codec.StrictJson;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Signs connection and channel tokens for backends that prefer not to sign JWTs themselves. */
final class TokenRoutes {
    private static final long DEFAULT_TTL_SECONDS = 3600;

    private final TokenMinter tokens;
    private final int maxTtlSeconds;

    TokenRoutes(TokenMinter tokens, int maxTtlSeconds) {
        this.tokens = requireNonNull(tokens, "tokens");
        if (maxTtlSeconds <= 0) {
            throw new IllegalArgumentException("maxTtlSeconds: " + maxTtlSeconds + " (expected: > 0)");
        }
        this.maxTtlSeconds = maxTtlSeconds;
    }

    void registerOn(RouteTable routes) {
        routes.add(HttpMethod.POST, "/api/v1/tokens", (request, params) -> issue(request));
    }

    private CompletableFuture<HttpReply> issue(AdminRequest request) {
        JsonNode body = request.json();
        String sub = Json.text(body, "sub");
        // The default must not be refused by a server configured with a shorter maximum.
        long ttlSeconds = Json.optionalLong(body, "ttl_s", Math.min(DEFAULT_TTL_SECONDS, maxTtlSeconds));
        if (ttlSeconds < 1 || ttlSeconds > maxTtlSeconds) {
            throw JsonErrors.badRequest("ttl_s: " + ttlSeconds + " (expected: 1-" + maxTtlSeconds + ")");
        }
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        Optional<String> channel = Json.optionalText(body, "channel");
        String token;
        if (channel.isPresent()) {
            if (body.has("caps")) {
                throw JsonErrors.badRequest("body: expected either caps or channel, not both");
            }
            if (!ChannelNames.isValid(channel.get())) {
                throw JsonErrors.badRequest("channel: expected 1-128 chars of [A-Za-z0-9._:-]");
            }
            token = tokens.issueChannelToken(sub, ttl, channel.get(), operations(body));
        } else {
            token = tokens.issue(sub, ttl, capabilities(body));
        }
        return CompletableFuture.completedFuture(
                HttpReply.json(HttpResponseStatus.OK, StrictJson.object().put("token", token)));
    }

    /** {@code caps} is optional: a token without it may still use the user's own channels. */
    private static List<Capability> capabilities(JsonNode body) {
        JsonNode caps = body.get("caps");
        if (caps == null || caps.isNull()) {
            return List.of();
        }
        if (!caps.isArray()) {
            throw JsonErrors.badRequest("caps: expected an array of {channels, allow}");
        }
        List<Capability> result = new ArrayList<>(caps.size());
        for (JsonNode cap : caps) {
            if (!cap.isObject()) {
                throw JsonErrors.badRequest("caps: expected an array of {channels, allow}");
            }
            List<String> patterns = Json.texts(cap, "channels");
            if (patterns.isEmpty()) {
                throw JsonErrors.badRequest("channels: expected at least one pattern");
            }
            for (String pattern : patterns) {
                if (!isValidPattern(pattern)) {
                    throw JsonErrors.badRequest(
                            "channels: " + pattern + " (expected: a channel name, or a prefix and *)");
                }
            }
            result.add(new Capability(patterns, operations(cap)));
        }
        return result;
    }

    private static boolean isValidPattern(String pattern) {
        return pattern.equals("*")
                || ChannelNames.isValid(pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern);
    }

    private static Set<Operation> operations(JsonNode object) {
        Set<Operation> allow = EnumSet.noneOf(Operation.class);
        for (String name : Json.texts(object, "allow")) {
            allow.add(Operation.fromWireName(name)
                    .orElseThrow(() -> JsonErrors.badRequest("allow: unknown operation " + name
                            + " (expected: join, subscribe, publish, history, applet)")));
        }
        if (allow.isEmpty()) {
            throw JsonErrors.badRequest("allow: expected at least one operation");
        }
        return allow;
    }
}
