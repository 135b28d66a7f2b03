package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The admin API's bearer key: which paths need it, and whether an {@code Authorization} header has it. */
final class ApiKey {
    private static final String BEARER = "Bearer ";
    private static final String API_PREFIX = "/api/";

    private final byte[] key;

    ApiKey(String key) {
        this.key = requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
    }

    /** Every {@code /api/} call needs the key; {@code /metrics} and the health probes do not. */
    static boolean requiredFor(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return path.startsWith(API_PREFIX) || path.equals("/api");
    }

    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        // Constant time, so the answer's timing does not reveal how much of a guess was right.
        return MessageDigest.isEqual(key, authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8));
    }
}
