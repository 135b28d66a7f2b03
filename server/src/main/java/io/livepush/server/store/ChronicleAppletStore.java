package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.AppletState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applet states in {@code applets.dat}, a persisted Chronicle Map beside the message log's files:
 *
 * <pre>
 * key   = room + "/" + applet id          ("/" is in neither name's alphabet)
 * value = {@link AppletStateCodec version, updated_ms, content}
 * </pre>
 *
 * <p>Listing a room's applets on every join must not scan the whole map, so an in-memory index
 * (room → applet ids) is rebuilt from the keys at open and kept up to date by {@link #put}. A put
 * writes one entry in one call: after {@code kill -9} an applet has its old or its new state.
 *
 * <p>Capacity: the store holds at most {@code capacity} applets ({@code --applet-max-entries}); an
 * update of an existing applet always fits, a new applet past the capacity is refused with
 * {@link StoreFullException}. The file starts at a sixteenth of that and grows as applets arrive
 * ({@link PersistedMaps#growable}).
 *
 * <p>The file lives in the directory the {@link ChronicleMessageLog} has locked, and is recovered the
 * same way after an unclean stop; close this store before the log, which marks the directory clean.
 */
public final class ChronicleAppletStore implements AppletStore {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleAppletStore.class);
    static final String FILE = "applets.dat";
    /** The flag that sets the capacity, named when the store refuses a new applet. */
    static final String CAPACITY_FLAG = "--applet-max-entries";

    private static final int AVERAGE_KEY_BYTES = 48;
    private static final int AVERAGE_VALUE_BYTES = 1024;
    private static final char SEPARATOR = '/';

    private final ChronicleMap<String, byte[]> map;
    private final long capacity;
    private final EntryCount count;
    private final ConcurrentHashMap<String, Set<String>> index = new ConcurrentHashMap<>();

    private ChronicleAppletStore(ChronicleMap<String, byte[]> map, long capacity) {
        this.map = map;
        this.capacity = capacity;
        this.count = new EntryCount(map.longSize());
        for (String key : map.keySet()) {
            int cut = key.indexOf(SEPARATOR);
            if (cut > 0) {
                ids(key.substring(0, cut)).add(key.substring(cut + 1));
            }
        }
    }

    /**
     * Opens (creating, or recovering after a crash) {@code applets.dat} in the log's data directory.
     *
     * @param capacity applets (all rooms) the store holds; a new file is sized for it, an existing one
     *                 keeps the sizing it was created with
     */
    public static ChronicleAppletStore open(ChronicleMessageLog directoryOwner, long capacity) {
        requireNonNull(directoryOwner, "directoryOwner");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        ChronicleMapBuilder<String, byte[]> builder = PersistedMaps.growable(
                ChronicleMapBuilder.of(String.class, byte[].class)
                        .name("livepush-applets")
                        .averageKeySize(AVERAGE_KEY_BYTES)
                        .averageValueSize(AVERAGE_VALUE_BYTES),
                capacity);
        return new ChronicleAppletStore(
                PersistedMaps.open(
                        builder, directoryOwner.dataDir().resolve(FILE), directoryOwner.previousRunUnclean()),
                capacity);
    }

    @Override
    public Optional<AppletState> find(String room, String appletId) {
        byte[] bytes = map.get(key(room, appletId));
        return bytes == null ? Optional.empty() : Optional.of(AppletStateCodec.decode(room, appletId, bytes));
    }

    @Override
    public List<AppletState> list(String room) {
        requireNonNull(room, "room");
        Set<String> ids = index.get(room);
        if (ids == null) {
            return List.of();
        }
        List<AppletState> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            find(room, id).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public void put(AppletState state) {
        requireNonNull(state, "state");
        String key = key(state.getRoom(), state.getAppletId());
        byte[] value = AppletStateCodec.encode(state);
        // One writer per room, so nobody else adds this key between the check and the put.
        boolean added = !map.containsKey(key);
        if (added && !count.tryAdd(1, capacity)) {
            throw count.refuse(
                    LOG,
                    "Applet store is full: " + count.get() + " applets, capacity " + capacity + "; raise "
                            + CAPACITY_FLAG,
                    null);
        }
        try {
            map.put(key, value);
        } catch (IllegalStateException | IllegalArgumentException e) {
            if (!EntryCount.isNoRoom(e)) {
                throw e;
            }
            // The file has no room although the count allows it: entries larger than the sizing
            // assumes, or a file created with a smaller capacity (sizing applies to new files only).
            if (added) {
                count.set(map.longSize());
            }
            throw count.refuse(
                    LOG,
                    "Applet store file " + FILE + " has no room for " + state.getRoom() + '/'
                            + state.getAppletId() + " (" + value.length + " bytes) at " + count.get() + " of "
                            + capacity
                            + " applets: its applets are larger than the " + AVERAGE_VALUE_BYTES
                            + "-byte average it was sized for, or it was created with a smaller " + CAPACITY_FLAG,
                    e);
        }
        ids(state.getRoom()).add(state.getAppletId());
    }

    /** Applets stored, all rooms together; cheap (a counter, not a scan). */
    @Override
    public long size() {
        return count.get();
    }

    /** Applets the store holds before it refuses new ones ({@code --applet-max-entries}). */
    public long capacity() {
        return capacity;
    }

    @Override
    public void close() {
        map.close();
    }

    private Set<String> ids(String room) {
        return index.computeIfAbsent(room, r -> new ConcurrentSkipListSet<>());
    }

    private static String key(String room, String appletId) {
        requireNonNull(room, "room");
        requireNonNull(appletId, "appletId");
        if (room.indexOf(SEPARATOR) >= 0 || appletId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("room and applet id must not contain '" + SEPARATOR + "'");
        }
        return room + SEPARATOR + appletId;
    }
}
