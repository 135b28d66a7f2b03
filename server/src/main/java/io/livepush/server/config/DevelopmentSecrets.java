package io.livepush.server.config;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.livepush.server.auth.KeyRing;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The token secret and API key a loopback server generated, kept in its data directory so that a restart
 * keeps them and a client started against a development server survives its restarts. Deleting the file
 * rotates them. {@link SecretsPolicy} uses it on a loopback bind only.
 *
 * @param file where they are kept
 */
record DevelopmentSecrets(Path file, String tokenSecret, String apiKey) {
    static final String FILE_NAME = "dev-secrets.properties";
    private static final String TOKEN_SECRET = "token-secret";
    private static final String API_KEY = "api-key";
    // Given at creation: a chmod after it would leave a moment in which others may open the file.
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /**
     * The secrets kept in {@code dataDir}, or new ones from {@code generate}, kept there for the next start.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read, written or understood
     */
    static DevelopmentSecrets loadOrCreate(Path dataDir, Supplier<String> generate) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
        try {
            return load(file);
        } catch (NoSuchFileException e) {
            return create(file, generate);
        } catch (IOException | IllegalArgumentException e) {
            throw unusable(file, e, "; delete the file for new ones");
        }
    }

    private static DevelopmentSecrets load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, UTF_8)) {
            properties.load(in);
        }
        String tokenSecret = properties.getProperty(TOKEN_SECRET, "");
        String apiKey = properties.getProperty(API_KEY, "");
        if (tokenSecret.getBytes(UTF_8).length < KeyRing.MIN_SECRET_BYTES || apiKey.isBlank()) {
            throw new IllegalArgumentException("unreadable content (expected: " + TOKEN_SECRET + " of at least "
                    + KeyRing.MIN_SECRET_BYTES + " bytes and " + API_KEY + ")");
        }
        return new DevelopmentSecrets(file, tokenSecret, apiKey);
    }

    private static DevelopmentSecrets create(Path file, Supplier<String> generate) {
        DevelopmentSecrets secrets = new DevelopmentSecrets(file, generate.get(), generate.get());
        String text = "# Development secrets of a loopback push-server: delete this file for new ones.\n" + TOKEN_SECRET
                + '=' + secrets.tokenSecret + '\n' + API_KEY + '=' + secrets.apiKey + '\n';
        try {
            Files.createDirectories(file.getParent());
            // Written aside and renamed into place: a crash never leaves a half-written file behind.
            Path partial = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp", OWNER_ONLY);
            try {
                try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    out.write(ByteBuffer.wrap(text.getBytes(UTF_8)));
                    out.force(true);
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw unusable(file, e, "");
        }
        return secrets;
    }

    private static IllegalArgumentException unusable(Path file, Exception e, String hint) {
        String why = e instanceof IOException ? e.getClass().getSimpleName() + ' ' + e.getMessage() : e.getMessage();
        return new IllegalArgumentException(
                "cannot use the development secrets in " + file + " (--data-dir): " + why + hint, e);
    }

    @Override
    public String toString() {
        return "DevelopmentSecrets[" + file + ']';
    }
}
