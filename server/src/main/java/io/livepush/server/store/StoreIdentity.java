package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The epochs of channels that have nothing on disk, in {@code store.id}: a random store id and an
 * eviction generation.
 *
 * <p>A channel without metadata reports {@code epoch = hash(store id, generation, name)}: stable
 * without writing anything (joining or reading an unknown channel costs no disk), and the epoch its
 * first message is stored with. Evicting channels bumps the generation first, so an evicted channel
 * that comes back has another epoch than before and no client can take its new messages for the old
 * ones. A new store (no channel table yet) gets a new id: positions from a wiped store mean nothing.
 * Bumping the generation also moves the epoch of every channel that never had a message; nobody can
 * have missed anything there, so a client that sees it only reloads an empty channel.
 */
final class StoreIdentity {
    static final String FILE = "store.id";
    private static final int EPOCH_BYTES = 6; // 12 hex chars, as stored epochs
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final long id;
    private volatile long generation;

    private StoreIdentity(Path file, long id, long generation) {
        this.file = file;
        this.id = id;
        this.generation = generation;
    }

    /** Reads {@code store.id} in {@code dir}, or makes a new identity when {@code fresh} or there is none. */
    static StoreIdentity open(Path dir, boolean fresh) {
        Path file = dir.resolve(FILE);
        try {
            if (!fresh && Files.size(file) == 2 * Long.BYTES) {
                ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
                return new StoreIdentity(file, buf.getLong(), buf.getLong());
            }
        } catch (IOException e) {
            // missing or unreadable: a new identity, as for a new store
        }
        StoreIdentity created = new StoreIdentity(file, RANDOM.nextLong(), 0);
        created.write(0);
        return created;
    }

    /** The epoch a channel without metadata has now. */
    String epochOf(String channel) {
        requireNonNull(channel, "channel");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(2 * Long.BYTES)
                    .putLong(id)
                    .putLong(generation)
                    .array());
            byte[] digest = sha.digest(channel.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, EPOCH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Moves to the next generation, on disk before any channel of the previous one is evicted. */
    synchronized void nextGeneration() {
        write(generation + 1);
        generation++;
    }

    private void write(long nextGeneration) {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(2 * Long.BYTES)
                    .putLong(id)
                    .putLong(nextGeneration)
                    .flip());
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot replace " + file, e);
        }
    }
}
