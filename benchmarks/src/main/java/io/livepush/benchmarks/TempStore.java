package io.livepush.benchmarks;

import io.livepush.server.store.ChronicleMessageLog;
import io.livepush.server.store.StoreConfig;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real {@link ChronicleMessageLog} with its files in a fresh temporary directory, deleted on close. */
final class TempStore implements Closeable {
    private final Path dir;
    private final ChronicleMessageLog log;

    private TempStore(Path dir, ChronicleMessageLog log) {
        this.dir = dir;
        this.log = log;
    }

    /** Sized like the server's default store, except for capacity and per-channel retention. */
    static TempStore open(long maxMessages, int retentionMaxMessages) throws IOException {
        Path dir = Files.createTempDirectory("livepush-jmh-");
        StoreConfig config = new StoreConfig(
                dir,
                maxMessages,
                StoreConfig.DEFAULT_AVERAGE_MESSAGE_BYTES,
                StoreConfig.DEFAULT_MAX_CHANNELS,
                retentionMaxMessages,
                StoreConfig.DEFAULT_RETENTION_MAX_AGE,
                Clock.systemUTC());
        return new TempStore(dir, ChronicleMessageLog.open(config));
    }

    ChronicleMessageLog log() {
        return log;
    }

    @Override
    public void close() throws IOException {
        try {
            log.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
