package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a persisted Chronicle Map the right way for how the previous run ended.
 *
 * <p>Chronicle Map 2026.1 has no {@code createOrRecoverPersistedTo} (deprecated in 3.25 because it is
 * unsafe while another process has the file open). So: {@code createPersistedTo} normally (creates the
 * file, or opens it with the configuration stored in its header), {@code recoverPersistedTo} only when
 * the file exists and its last owner crashed, which can leave segment locks held and an entry
 * half-written. The caller's {@link DataDirLock} guarantees nobody else has the file open.
 */
final class PersistedMaps {
    private static final Logger LOG = LoggerFactory.getLogger(PersistedMaps.class);

    private PersistedMaps() {}

    static <K, V> ChronicleMap<K, V> open(ChronicleMapBuilder<K, V> builder, Path file, boolean previousRunUnclean) {
        requireNonNull(builder, "builder");
        requireNonNull(file, "file");
        try {
            if (previousRunUnclean && Files.exists(file)) {
                LOG.warn("Store was not closed cleanly; recovering {}", file);
                // false: trust the configuration in the file's header, which may differ from today's
                // config (sizing changes apply to new files only, as with createPersistedTo).
                return builder.recoverPersistedTo(file.toFile(), false);
            }
            return builder.createPersistedTo(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + file, e);
        }
    }
}
