package io.livepush.server.auth;

import static java.util.Objects.requireNonNull;

import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HMAC-SHA256 secrets tokens may be signed with, by key id ({@code kid} header). One of them, the
 * primary, signs new tokens and verifies tokens without a {@code kid}; the others only verify, so a
 * secret can be rotated without invalidating the tokens already handed out.
 */
public final class KeyRing {
    public static final String DEFAULT_PRIMARY_KID = "k1";
    /** RFC 7518 3.2: an HS256 key must be at least as long as the hash output. */
    public static final int MIN_SECRET_BYTES = 32;

    private final String primaryKid;
    private final Map<String, Algorithm> algorithms;

    /**
     * @param primaryKid the key id that signs new tokens; must be a key of {@code secretsByKid}
     * @param secretsByKid every accepted secret by key id
     */
    public KeyRing(String primaryKid, Map<String, String> secretsByKid) {
        requireNonNull(primaryKid, "primaryKid");
        requireNonNull(secretsByKid, "secretsByKid");
        if (!secretsByKid.containsKey(primaryKid)) {
            throw new IllegalArgumentException(
                    "primaryKid: " + primaryKid + " (expected: one of " + secretsByKid.keySet() + ')');
        }
        Map<String, Algorithm> algorithms = new LinkedHashMap<>();
        secretsByKid.forEach(
                (kid, secret) -> algorithms.put(checkKid(kid), Algorithm.HMAC256(checkSecret(kid, secret))));
        this.primaryKid = primaryKid;
        this.algorithms = Map.copyOf(algorithms);
    }

    /** A ring whose primary secret has the key id {@value #DEFAULT_PRIMARY_KID}. */
    public static KeyRing of(String primarySecret, Map<String, String> olderSecretsByKid) {
        return of(DEFAULT_PRIMARY_KID, primarySecret, olderSecretsByKid);
    }

    /** A ring of the primary secret plus other secrets that still verify (key rotation). */
    public static KeyRing of(String primaryKid, String primarySecret, Map<String, String> otherSecretsByKid) {
        requireNonNull(primaryKid, "primaryKid");
        requireNonNull(otherSecretsByKid, "otherSecretsByKid");
        if (otherSecretsByKid.containsKey(primaryKid)) {
            throw new IllegalArgumentException("kid: " + primaryKid + " (expected: not the primary key id)");
        }
        Map<String, String> all = new LinkedHashMap<>(otherSecretsByKid);
        all.put(primaryKid, primarySecret);
        return new KeyRing(primaryKid, all);
    }

    public String primaryKid() {
        return primaryKid;
    }

    public Set<String> kids() {
        return algorithms.keySet();
    }

    Algorithm primaryAlgorithm() {
        return algorithms.get(primaryKid);
    }

    Optional<Algorithm> algorithm(String kid) {
        return Optional.ofNullable(algorithms.get(kid));
    }

    private static String checkKid(String kid) {
        if (kid == null || kid.isBlank()) {
            throw new IllegalArgumentException("kid: '" + kid + "' (expected: not blank)");
        }
        return kid;
    }

    // The message names the key id and the length, never the secret.
    private static byte[] checkSecret(String kid, String secret) {
        requireNonNull(secret, "secret");
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "secret of kid " + kid + ": " + bytes.length + " bytes (expected: >= " + MIN_SECRET_BYTES + ')');
        }
        return bytes;
    }
}
