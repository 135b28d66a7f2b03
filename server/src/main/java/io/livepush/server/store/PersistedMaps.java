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

    /**
     * How many times a file may grow past its initial size. A Chronicle Map file is fully allocated
     * at creation for the entries it is built for, so a file sized for its capacity would take that
     * much disk on the first start. Instead it is built for {@code capacity / GROWTH} entries and
     * Chronicle Map adds segment tiers as segments fill (the file grows by one tier bulk at a time),
     * up to the bloat factor. Lookups in a grown file walk a segment's tiers: measured here, a get
     * in a file grown 6 times costs 1.7 times one in a file built at its final size.
     */
    static final int GROWTH = 16;
    /**
     * Room above the capacity before Chronicle Map refuses a put: the stores evict at their capacity,
     * and this leaves the eviction time to catch up with a burst of new entries.
     */
    static final double HEADROOM = 1.5;

    private static final long MIN_INITIAL_ENTRIES = 1024;

    private PersistedMaps() {}

    /**
     * Sizes {@code builder} to start small and grow with its data up to about {@code capacity}
     * entries (more fit, up to {@link #HEADROOM} times, before a put fails).
     */
    static <K, V> ChronicleMapBuilder<K, V> growable(ChronicleMapBuilder<K, V> builder, long capacity) {
        long initial = Math.max(MIN_INITIAL_ENTRIES, capacity / GROWTH);
        double bloat = Math.max(1.0, HEADROOM * capacity / initial);
        return builder.entries(initial).maxBloatFactor(bloat);
    }

    static <K, V> ChronicleMap<K, V> open(ChronicleMapBuilder<K, V> builder, Path file, boolean previousRunUnclean) {
        return open(builder, file, previousRunUnclean, new CorruptionLog(file));
    }

    /** As {@link #open(ChronicleMapBuilder, Path, boolean)}, telling {@code corruptions} what recovery found. */
    static <K, V> ChronicleMap<K, V> open(
            ChronicleMapBuilder<K, V> builder, Path file, boolean previousRunUnclean, CorruptionLog corruptions) {
        requireNonNull(builder, "builder");
        requireNonNull(file, "file");
        requireNonNull(corruptions, "corruptions");
        try {
            if (previousRunUnclean && Files.exists(file)) {
                LOG.warn("Store was not closed cleanly; recovering {}", file);
                // false: trust the configuration in the file's header, which may differ from today's
                // config (sizing changes apply to new files only, as with createPersistedTo).
                return builder.recoverPersistedTo(file.toFile(), false, corruptions);
            }
            return builder.createPersistedTo(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + file, e);
        }
    }
}
