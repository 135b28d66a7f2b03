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
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Capacity: at most {@code maxItems} items (tombstones included, all spaces together;
 * {@code --sync-max-items}) and {@code maxSpaces} spaces ({@code --sync-max-spaces}). A commit that
 * would pass either is refused whole, before anything is written, with {@link StoreFullException};
 * changes to existing items of existing spaces always fit. Each file starts at a sixteenth of its
 * capacity and grows as entries arrive ({@link PersistedMaps#growable}).
 */
public final class ChronicleSpaceStore implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleSpaceStore.class);
    static final String DIR = "sync";
    static final String ITEMS_FILE = "items.dat";
    static final String SPACES_FILE = "spaces.dat";

    /** The flags that set the capacities, named when the store refuses a commit. */
    static final String ITEMS_FLAG = "--sync-max-items";

    static final String SPACES_FLAG = "--sync-max-spaces";

    private static final int AVERAGE_ITEM_KEY_BYTES = 48;
    private static final int AVERAGE_ITEM_BYTES = 1024;
    private static final int AVERAGE_SPACE_KEY_BYTES = 32;
    private static final int AVERAGE_INDEX_BYTES = 2048;

    private final Path dir;
    private final DataDirLock lock;
    private final ChronicleMap<String, byte[]> items;
    private final ChronicleMap<String, byte[]> spaces;
    private final long maxItems;
    private final long maxSpaces;
    private final EntryCount itemCount;
    private final EntryCount spaceCount;

    private ChronicleSpaceStore(
            Path dir,
            DataDirLock lock,
            ChronicleMap<String, byte[]> items,
            ChronicleMap<String, byte[]> spaces,
            long maxItems,
            long maxSpaces) {
        this.dir = dir;
        this.lock = lock;
        this.items = items;
        this.spaces = spaces;
        this.maxItems = maxItems;
        this.maxSpaces = maxSpaces;
        this.itemCount = new EntryCount(items.longSize());
        this.spaceCount = new EntryCount(spaces.longSize());
    }

    /**
     * Opens (creating, or recovering after a crash) the store under {@code dataDir/sync}. New files
     * are sized for the capacities; existing ones keep the sizing they were created with.
     *
     * @param maxItems items (tombstones included, all spaces together) the store holds
     * @param maxSpaces spaces the store holds
     */
    public static ChronicleSpaceStore open(Path dataDir, long maxItems, long maxSpaces) {
        requireNonNull(dataDir, "dataDir");
        if (maxItems <= 0 || maxSpaces <= 0) {
            throw new IllegalArgumentException(
                    "capacities must be positive: items " + maxItems + ", spaces " + maxSpaces);
        }
        Path dir = dataDir.resolve(DIR);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
        DataDirLock lock = DataDirLock.acquire(dir);
        ChronicleMap<String, byte[]> items = null;
        try {
            items = PersistedMaps.open(
                    PersistedMaps.growable(
                            ChronicleMapBuilder.of(String.class, byte[].class)
                                    .name("sync-items")
                                    .averageKeySize(AVERAGE_ITEM_KEY_BYTES)
                                    .averageValueSize(AVERAGE_ITEM_BYTES),
                            maxItems),
                    dir.resolve(ITEMS_FILE),
                    lock.previousRunUnclean());
            ChronicleMap<String, byte[]> spaces = PersistedMaps.open(
                    PersistedMaps.growable(
                            ChronicleMapBuilder.of(String.class, byte[].class)
                                    .name("sync-spaces")
                                    .averageKeySize(AVERAGE_SPACE_KEY_BYTES)
                                    .averageValueSize(AVERAGE_INDEX_BYTES),
                            maxSpaces),
                    dir.resolve(SPACES_FILE),
                    lock.previousRunUnclean());
            return new ChronicleSpaceStore(dir, lock, items, spaces, maxItems, maxSpaces);
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

    /**
     * Stores {@code changed} (each with its new version), then {@code index}, which makes them visible.
     *
     * @throws StoreFullException when the new items or the new space do not fit (nothing is stored),
     *         or when a file has no room although the counts allow it, or the index of the space has
     *         grown too large for one entry (the index is not written, the new items are removed)
     */
    public void commit(String space, SpaceIndex index, Collection<Item> changed) {
        requireNonNull(space, "space");
        // One writer per space, so no other thread adds these keys between the checks and the puts.
        Set<String> newItems = new HashSet<>();
        for (Item item : changed) {
            String key = key(space, item.getItemId());
            if (!items.containsKey(key)) {
                newItems.add(key);
            }
        }
        int newSpaces = spaces.containsKey(space) ? 0 : 1;
        if (!itemCount.tryAdd(newItems.size(), maxItems)) {
            throw itemCount.refuse(
                    LOG,
                    "Data-sync store is full: " + itemCount.get() + " items, capacity " + maxItems + ", "
                            + newItems.size() + " new in " + space + "; raise " + ITEMS_FLAG,
                    null);
        }
        if (!spaceCount.tryAdd(newSpaces, maxSpaces)) {
            itemCount.remove(newItems.size());
            throw spaceCount.refuse(
                    LOG,
                    "Data-sync store is full: " + spaceCount.get() + " spaces, capacity " + maxSpaces + ", cannot add "
                            + space + "; raise " + SPACES_FLAG,
                    null);
        }
        String writing = ITEMS_FILE;
        byte[] value = null;
        try {
            for (Item item : changed) {
                value = item.toByteArray();
                items.put(key(space, item.getItemId()), value);
            }
            writing = SPACES_FILE;
            value = index.encode();
            spaces.put(space, value);
        } catch (IllegalStateException | IllegalArgumentException e) {
            if (!EntryCount.isNoRoom(e)) {
                throw e;
            }
            // Rare: the counts allowed the commit but a file did not. The index was not written, so
            // what was stored is invisible; the new items go again so that they take no room (changed
            // ones keep their new content, unseen, as after a crash between the items and the index).
            for (String key : newItems) {
                items.remove(key);
            }
            itemCount.set(items.longSize());
            spaceCount.set(spaces.longSize());
            boolean itemsFile = writing.equals(ITEMS_FILE);
            EntryCount count = itemsFile ? itemCount : spaceCount;
            String file = DIR + '/' + writing;
            String flag = itemsFile ? ITEMS_FLAG : SPACES_FLAG;
            if (e instanceof IllegalArgumentException) {
                throw count.refuse(
                        LOG,
                        "Data-sync store file " + file + " cannot hold an entry of " + value.length
                                + " bytes (" + space + (itemsFile ? "" : ": too many items in one space") + "): "
                                + e.getMessage()
                                + " (a file created with a larger " + flag + " has larger segments)",
                        e);
            }
            throw count.refuse(
                    LOG,
                    "Data-sync store file " + file + " has no room left at "
                            + (itemsFile
                                    ? itemCount.get() + " of " + maxItems + " items"
                                    : spaceCount.get() + " of " + maxSpaces + " spaces")
                            + ": its entries are larger than the "
                            + (itemsFile ? AVERAGE_ITEM_BYTES : AVERAGE_INDEX_BYTES)
                            + "-byte average it was sized for, or it was created with a smaller " + flag,
                    e);
        }
    }

    /** Items stored (tombstones included), all spaces together; cheap (a counter, not a scan). */
    public long itemCount() {
        return itemCount.get();
    }

    /** Spaces stored; cheap (a counter, not a scan). */
    public long spaceCount() {
        return spaceCount.get();
    }

    /** Items the store holds before it refuses new ones ({@code --sync-max-items}). */
    public long maxItems() {
        return maxItems;
    }

    /** Spaces the store holds before it refuses new ones ({@code --sync-max-spaces}). */
    public long maxSpaces() {
        return maxSpaces;
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
