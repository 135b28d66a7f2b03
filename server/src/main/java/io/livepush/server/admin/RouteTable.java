package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Method + path patterns such as {@code /api/v1/channels/{}/messages}, where {@code {}} matches one
 * non-empty segment and is handed to the route. A path that matches only under other methods is a 405.
 */
final class RouteTable {

    @FunctionalInterface
    interface Route {
        /** May throw {@link AdminException}; {@code params} are the {@code {}} segments in order. */
        CompletableFuture<HttpReply> handle(AdminRequest request, List<String> params);
    }

    private record Entry(HttpMethod method, String template, List<String> pattern, Route route) {}

    private final List<Entry> entries = new ArrayList<>();

    RouteTable add(HttpMethod method, String pattern, Route route) {
        requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern: " + pattern + " (expected: starts with /)");
        }
        entries.add(new Entry(
                requireNonNull(method, "method"),
                pattern,
                List.of(pattern.substring(1).split("/", -1)),
                requireNonNull(route, "route")));
        return this;
    }

    CompletableFuture<HttpReply> dispatch(AdminRequest request) {
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (Entry entry : entries) {
            List<String> params = match(entry.pattern(), request.path());
            if (params == null) {
                continue;
            }
            if (entry.method().equals(request.method())) {
                return entry.route().handle(request, params);
            }
            allowed.add(entry.method());
        }
        if (allowed.isEmpty()) {
            throw JsonErrors.notFound("no such route: /" + String.join("/", request.path()));
        }
        return CompletableFuture.completedFuture(JsonErrors.of(
                        HttpResponseStatus.METHOD_NOT_ALLOWED,
                        "METHOD_NOT_ALLOWED",
                        request.method() + " is not allowed here")
                .withHeader(
                        HttpHeaderNames.ALLOW.toString(),
                        allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "))));
    }

    /**
     * The pattern of the route {@code method} and {@code rawPath} reach, or null when none does: a label for
     * metrics, whose values must stay few (the path itself holds channel and user names).
     */
    String templateOf(HttpMethod method, String rawPath) {
        List<String> path =
                List.of(rawPath.substring(rawPath.startsWith("/") ? 1 : 0).split("/", -1));
        for (Entry entry : entries) {
            if (entry.method().equals(method) && match(entry.pattern(), path) != null) {
                return entry.template();
            }
        }
        return null;
    }

    private static List<String> match(List<String> pattern, List<String> path) {
        if (pattern.size() != path.size()) {
            return null;
        }
        List<String> params = new ArrayList<>(2);
        for (int i = 0; i < pattern.size(); i++) {
            String expected = pattern.get(i);
            String actual = path.get(i);
            if (expected.equals("{}")) {
                if (actual.isEmpty()) {
                    return null;
                }
                params.add(actual);
            } else if (!expected.equals(actual)) {
                return null;
            }
        }
        return params;
    }
}
