package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * Bans and token revocations in {@code restrictions.dat}, so that they outlive a restart: key = user
 * id, value = {@link UserRestriction} as two longs. Written only by the admin API, read once at
 * start-up (the server checks connects against a copy in memory). Lives in the directory the
 * {@link ChronicleMessageLog} has locked and is recovered the same way; close it before the log.
 */
public final class ChronicleUserRestrictions implements RestrictionStore, Closeable {
    static final String FILE = "restrictions.dat";
    /** Users with a restriction; a ban that has run out is dropped at the next start. */
    private static final long CAPACITY = 1_000_000;

    private static final int AVERAGE_KEY_BYTES = 24;
    private static final int VALUE_BYTES = 16;

    private final ChronicleMap<String, byte[]> map;

    private ChronicleUserRestrictions(ChronicleMap<String, byte[]> map) {
        this.map = map;
    }

    public static ChronicleUserRestrictions open(ChronicleMessageLog directoryOwner) {
        requireNonNull(directoryOwner, "directoryOwner");
        ChronicleMapBuilder<String, byte[]> builder = PersistedMaps.growable(
                ChronicleMapBuilder.of(String.class, byte[].class)
                        .name("livepush-restrictions")
                        .averageKeySize(AVERAGE_KEY_BYTES)
                        .constantValueSizeBySample(new byte[VALUE_BYTES]),
                CAPACITY);
        return new ChronicleUserRestrictions(PersistedMaps.open(
                builder, directoryOwner.dataDir().resolve(FILE), directoryOwner.previousRunUnclean()));
    }

    /** Every restriction that still matters at {@code nowMs}; the others are deleted. */
    @Override
    public Map<String, UserRestriction> load(long nowMs) {
        Map<String, UserRestriction> live = new HashMap<>();
        for (Map.Entry<String, byte[]> e : map.entrySet()) {
            ByteBuffer b = ByteBuffer.wrap(e.getValue());
            UserRestriction r = new UserRestriction(b.getLong(), b.getLong());
            if (r.mattersAfter(nowMs)) {
                live.put(e.getKey(), r);
            }
        }
        map.keySet().retainAll(live.keySet());
        return live;
    }

    @Override
    public CompletableFuture<Void> put(String user, UserRestriction r) {
        requireNonNull(user, "user");
        if (r.equals(UserRestriction.NONE)) {
            map.remove(user);
            return CompletableFuture.completedFuture(null);
        }
        if (!map.containsKey(user) && map.longSize() >= CAPACITY) {
            return CompletableFuture.failedFuture(
                    new StoreFullException("restrictions are full: " + CAPACITY + " users"));
        }
        map.put(
                user,
                ByteBuffer.allocate(VALUE_BYTES)
                        .putLong(r.bannedUntilMs())
                        .putLong(r.revokedBeforeS())
                        .array());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        map.close();
    }
}
