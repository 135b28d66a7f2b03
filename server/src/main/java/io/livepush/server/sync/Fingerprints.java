package io.livepush.server.sync;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 fingerprints of item content. */
public final class Fingerprints {
    public static final int LENGTH = 32;

    private Fingerprints() {}

    public static ByteString of(ByteString content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(content.asReadOnlyByteBuffer());
            return ByteString.copyFrom(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
