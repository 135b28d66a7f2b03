package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The admin API's bearer key: which paths need it, and whether an {@code Authorization} header has it. */
final class ApiKey {
    private static final String BEARER = "Bearer ";

    private final byte[] key;

    ApiKey(String key) {
        this.key = requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every {@code /api/} call needs the key; {@code /metrics} and the health probes do not. The path
     * is read as the routes read it (an escaped {@code /%61pi/} is {@code /api/}), and one that does not
     * decode needs the key too.
     */
    static boolean requiredFor(String uri) {
        try {
            return AdminRequest.pathSegments(new QueryStringDecoder(uri).rawPath())
                    .get(0)
                    .equals("api");
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        // Constant time, so the answer's timing does not reveal how much of a guess was right.
        return MessageDigest.isEqual(
                key, authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8));
    }
}
