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
 * <p>The file lives in the directory the {@link ChronicleMessageLog} has locked, and is recovered the
 * same way after an unclean stop; close this store before the log, which marks the directory clean.
 */
public final class ChronicleAppletStore implements AppletStore {
    static final String FILE = "applets.dat";
    /** Applets (all rooms) the file is sized for; it grows past that up to {@link #MAX_BLOAT_FACTOR}. */
    static final long MAX_APPLETS = 20_000;
    private static final int AVERAGE_KEY_BYTES = 48;
    private static final int AVERAGE_VALUE_BYTES = 1024;
    private static final double MAX_BLOAT_FACTOR = 4.0;
    private static final char SEPARATOR = '/';

    private final ChronicleMap<String, byte[]> map;
    private final ConcurrentHashMap<String, Set<String>> index = new ConcurrentHashMap<>();

    private ChronicleAppletStore(ChronicleMap<String, byte[]> map) {
        this.map = map;
        for (String key : map.keySet()) {
            int cut = key.indexOf(SEPARATOR);
            if (cut > 0) {
                ids(key.substring(0, cut)).add(key.substring(cut + 1));
            }
        }
    }

    /** Opens (creating, or recovering after a crash) {@code applets.dat} in the log's data directory. */
    public static ChronicleAppletStore open(ChronicleMessageLog directoryOwner) {
        requireNonNull(directoryOwner, "directoryOwner");
        ChronicleMapBuilder<String, byte[]> builder = ChronicleMapBuilder.of(String.class, byte[].class)
                .name("livepush-applets")
                .entries(MAX_APPLETS)
                .averageKeySize(AVERAGE_KEY_BYTES)
                .averageValueSize(AVERAGE_VALUE_BYTES)
                .maxBloatFactor(MAX_BLOAT_FACTOR);
        return new ChronicleAppletStore(PersistedMaps.open(builder, directoryOwner.dataDir().resolve(FILE),
                directoryOwner.previousRunUnclean()));
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
        try {
            map.put(key, AppletStateCodec.encode(state));
        } catch (IllegalStateException e) {
            throw new StoreFullException("Store file " + FILE + " is full (sized for " + MAX_APPLETS + " applets)", e);
        }
        ids(state.getRoom()).add(state.getAppletId());
    }

    @Override
    public long size() {
        return map.longSize();
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
