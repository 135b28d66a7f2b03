package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive ownership of a data directory, and whether its previous owner stopped cleanly.
 *
 * <p>Chronicle Map's recovery must never run while another process has the files open, and is only
 * worth its cost after a crash. An OS file lock (released by the kernel even on {@code kill -9})
 * guarantees the first; a marker written at open and overwritten at clean close tells the second.
 */
final class DataDirLock implements Closeable {
    static final String FILE_NAME = "store.lock";
    private static final String OPEN = "open";
    private static final String CLEAN = "clean";

    private final FileChannel channel;
    private final FileLock lock;
    private final boolean previousRunUnclean;

    private DataDirLock(FileChannel channel, FileLock lock, boolean previousRunUnclean) {
        this.channel = channel;
        this.lock = lock;
        this.previousRunUnclean = previousRunUnclean;
    }

    /** Locks the directory and marks it open; fails if another process or instance holds it. */
    static DataDirLock acquire(Path dataDir) {
        requireNonNull(dataDir, "dataDir");
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel, file);
            // Anything but the clean marker (including an empty, just-created file) counts as unclean;
            // the caller only recovers map files that actually exist.
            boolean unclean = !CLEAN.equals(readMarker(channel));
            writeMarker(channel, OPEN);
            return new DataDirLock(channel, lock, unclean);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** True when the last owner did not close the store (crash, kill -9), or this is a new directory. */
    boolean previousRunUnclean() {
        return previousRunUnclean;
    }

    /** Marks the directory cleanly closed and releases it. Call only after the map files are closed. */
    @Override
    public void close() throws IOException {
        try {
            writeMarker(channel, CLEAN);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private static FileLock tryLock(FileChannel channel, Path file) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        }
        if (lock == null) {
            throw new IllegalStateException("Store " + file.getParent() + " is already open (" + file + " is locked)");
        }
        return lock;
    }

    private static String readMarker(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(16);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }

    private static void writeMarker(FileChannel channel, String marker) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(marker.getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing; the original error is the one to report
        }
    }
}
