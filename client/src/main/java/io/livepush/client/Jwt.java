package io.livepush.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the expiry of a connection token, to refresh it in time. No signature check: the server does that. */
final class Jwt {
    private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

    private Jwt() {}

    /** The {@code exp} claim in epoch ms, or 0 if the token has none or is not a JWT (no refresh then). */
    static long expiryMs(String token) {
        try {
            String[] parts = token.split("\\.");
            if (parts.length < 2) {
                return 0;
            }
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher m = EXP.matcher(payload);
            return m.find() ? Long.parseLong(m.group(1)) * 1000 : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
