package io.livepush.server.bootstrap;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser pages may open a WebSocket ({@code --allowed-origins}). Browsers always send
 * {@code Origin} on a WebSocket upgrade, so it is what stops another site's page from using a
 * visitor's connection; clients that are not browsers send none and are let through (they carry their
 * own token).
 * <ul>
 *   <li>a listed origin ({@code https://example.com}, scheme and host and port as the browser writes
 *       them), or {@code *} for any: allowed;</li>
 *   <li>no list on a loopback bind: any origin (development);</li>
 *   <li>no list otherwise: only the server's own pages (the Origin's host and port are the request's
 *       {@code Host}), which is what the share page needs.</li>
 * </ul>
 */
final class OriginPolicy {
    private final Set<String> allowed;
    private final boolean anyWhenUnlisted;

    OriginPolicy(List<String> allowedOrigins, boolean loopbackBind) {
        this.allowed = requireNonNull(allowedOrigins, "allowedOrigins").stream()
                .map(String::trim)
                .filter(o -> !o.isEmpty())
                .map(OriginPolicy::normalize)
                .collect(Collectors.toUnmodifiableSet());
        this.anyWhenUnlisted = loopbackBind;
    }

    /** @param origin the Origin header, null when absent; @param host the Host header, null when absent */
    boolean allows(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (allowed.contains("*") || allowed.contains(normalize(origin))) {
            return true;
        }
        if (!allowed.isEmpty()) {
            return false;
        }
        return anyWhenUnlisted || sameOrigin(origin, host);
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false;
            }
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return authority.equalsIgnoreCase(host.trim());
        } catch (IllegalArgumentException e) {
            return false; // "null" (sandboxed pages, file://) and garbage
        }
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
