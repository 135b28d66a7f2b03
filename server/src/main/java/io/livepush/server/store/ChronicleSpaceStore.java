package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.livepush.proto.v1.Item;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The data-sync store: two persisted Chronicle Maps in {@code <data dir>/sync/}, which has its own
 * {@link DataDirLock} (the message log holds the data directory's one).
 *
 * <ul>
 *   <li>{@code items.dat}: {@code space + '/' + item id} → the {@link Item} (protobuf bytes; a
 *       tombstone is {@code deleted = true} with no content). Unambiguous: space names have no '/'.
 *   <li>{@code spaces.dat}: space → its {@link SpaceIndex} (cursor + the version of every item).
 * </ul>
 *
 * <p>The space index is the commit point: {@link #commit} writes the items first and the index last,
 * so a crash in between leaves at worst an item newer than the index knows (a new item stays
 * invisible; a changed one is seen with a version the cursor has not reached yet, and is reported
 * again on the next change). Each space has a single writer (its home thread), so its
 * read-modify-write of the index needs no lock.
 */
public final class ChronicleSpaceStore implements Closeable {
    static final String DIR = "sync";
    static final String ITEMS_FILE = "items.dat";
    static final String SPACES_FILE = "spaces.dat";

    private static final long MAX_ITEMS = 500_000;
    private static final int AVERAGE_ITEM_BYTES = 1024;
    private static final long MAX_SPACES = 50_000;
    private static final int AVERAGE_INDEX_BYTES = 2048;
    private static final double MAX_BLOAT_FACTOR = 4.0;

    private final Path dir;
    private final DataDirLock lock;
    private final ChronicleMap<String, byte[]> items;
    private final ChronicleMap<String, byte[]> spaces;

    private ChronicleSpaceStore(Path dir, DataDirLock lock, ChronicleMap<String, byte[]> items,
                                ChronicleMap<String, byte[]> spaces) {
        this.dir = dir;
        this.lock = lock;
        this.items = items;
        this.spaces = spaces;
    }

    /** Opens (creating, or recovering after a crash) the store under {@code dataDir/sync}. */
    public static ChronicleSpaceStore open(Path dataDir) {
        requireNonNull(dataDir, "dataDir");
        Path dir = dataDir.resolve(DIR);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
        DataDirLock lock = DataDirLock.acquire(dir);
        ChronicleMap<String, byte[]> items = null;
        try {
            items = PersistedMaps.open(ChronicleMapBuilder.of(String.class, byte[].class)
                    .name("sync-items")
                    .entries(MAX_ITEMS)
                    .averageKeySize(48)
                    .averageValueSize(AVERAGE_ITEM_BYTES)
                    .maxBloatFactor(MAX_BLOAT_FACTOR), dir.resolve(ITEMS_FILE), lock.previousRunUnclean());
            ChronicleMap<String, byte[]> spaces = PersistedMaps.open(ChronicleMapBuilder.of(String.class, byte[].class)
                    .name("sync-spaces")
                    .entries(MAX_SPACES)
                    .averageKeySize(32)
                    .averageValueSize(AVERAGE_INDEX_BYTES)
                    .maxBloatFactor(MAX_BLOAT_FACTOR), dir.resolve(SPACES_FILE), lock.previousRunUnclean());
            return new ChronicleSpaceStore(dir, lock, items, spaces);
        } catch (RuntimeException e) {
            if (items != null) {
                items.close();
            }
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The space's index (a fresh, empty one for a space never written); the caller may change it. */
    public SpaceIndex index(String space) {
        byte[] bytes = spaces.get(requireNonNull(space, "space"));
        return bytes == null ? SpaceIndex.empty() : SpaceIndex.decode(bytes);
    }

    public Optional<Item> item(String space, String itemId) {
        byte[] bytes = items.get(key(space, itemId));
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Item.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException("corrupt item " + key(space, itemId) + " in " + dir, e);
        }
    }

    /** Stores {@code changed} (each with its new version), then {@code index}, which makes them visible. */
    public void commit(String space, SpaceIndex index, Collection<Item> changed) {
        requireNonNull(space, "space");
        try {
            for (Item item : changed) {
                items.put(key(space, item.getItemId()), item.toByteArray());
            }
            spaces.put(space, index.encode());
        } catch (IllegalStateException e) {
            throw new StoreFullException("Data-sync store " + dir + " is full (sized for " + MAX_ITEMS + " items in "
                    + MAX_SPACES + " spaces)");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            items.close();
            spaces.close();
        } finally {
            lock.close(); // last: marks the directory clean only after the maps are closed
        }
    }

    private static String key(String space, String itemId) {
        return space + '/' + itemId;
    }
}
