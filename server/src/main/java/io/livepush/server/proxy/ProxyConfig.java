package io.livepush.server.proxy;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where the proxy hooks call the business backend: one URL per hook (a hook without one is off), one
 * timeout and one bound on calls in flight per hook, and static headers sent with every call.
 *
 * @param urls the hooks that are on, each with its {@code http(s)://} URL
 * @param timeout from sending the request to having the whole answer
 * @param maxInFlight calls of one hook waiting for their answers at once; one more is refused at once
 * @param headers {@code name: value} pairs, e.g. {@code Authorization: Bearer …}
 */
public record ProxyConfig(Map<ProxyHook, URI> urls, Duration timeout, int maxInFlight, List<Header> headers) {
    public static final int DEFAULT_TIMEOUT_MS = 1000;
    public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
    /** No hook on: clients need the server's own tokens, as without this feature. */
    public static final ProxyConfig NONE =
            new ProxyConfig(Map.of(), Duration.ofMillis(DEFAULT_TIMEOUT_MS), DEFAULT_MAX_IN_FLIGHT, List.of());

    /** A static request header. */
    public record Header(String name, String value) {
        /** {@code "Name: value"}. */
        public static Header parse(String line) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("proxyHeaders: '" + line + "' (expected: Name: value)");
            }
            return new Header(
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
    }

    public ProxyConfig {
        EnumMap<ProxyHook, URI> copy = new EnumMap<>(ProxyHook.class);
        copy.putAll(requireNonNull(urls, "urls"));
        copy.forEach((hook, url) -> {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException(
                        "proxy" + label(hook) + "Url: '" + url + "' (expected: an http:// or https:// URL)");
            }
        });
        urls = Map.copyOf(copy);
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("proxyTimeoutMs: " + timeout.toMillis() + " (expected: > 0)");
        }
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("proxyMaxInFlight: " + maxInFlight + " (expected: > 0)");
        }
        headers = List.copyOf(requireNonNull(headers, "headers"));
    }

    public boolean isOn(ProxyHook hook) {
        return urls.containsKey(hook);
    }

    /** {@code JOIN} → {@code Join}: the config field names are {@code proxyJoinUrl} and so on. */
    private static String label(ProxyHook hook) {
        String l = hook.label();
        return Character.toUpperCase(l.charAt(0)) + l.substring(1);
    }
}
