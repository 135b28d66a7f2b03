package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * {@code channels.dat}: channel name → {@link ChannelMetaCodec encoded} {@link ChannelMeta}, for the
 * channels that have had a message. Nothing of it is kept on the heap (a million channels would cost
 * hundreds of megabytes there): the channel registry keeps the metadata of the channels in use, and
 * reads the file for the others. Each channel is written by its home thread only.
 *
 * <p>Each channel's entry has a mirror under {@code name + '#'}, written after it. Chronicle Map
 * updates an entry in place and its recovery drops an entry whose checksum does not match, so a
 * {@code kill -9} in the middle of an update would lose the channel's metadata, and with it the
 * index of every acknowledged message. With the mirror, a crash damages at most the copy being
 * written: opening the file restores a lost entry from its mirror, which holds the state before the
 * update that was never acknowledged. Lookups read the entry only.
 */
final class ChannelTable implements Closeable {
    /** Not a channel-name character ({@code ChannelNames}), so no channel's entry looks like a mirror. */
    private static final char MIRROR_SUFFIX = '#';

    private final ChronicleMap<String, byte[]> file;
    private final AtomicLong count = new AtomicLong();
    private final long maxChannelId;

    /** Opens the table on {@code file}, first restoring every entry that only its mirror still has. */
    ChannelTable(ChronicleMap<String, byte[]> file) {
        this.file = requireNonNull(file, "file");
        long max = 0;
        List<String> orphanedMirrors = new ArrayList<>(); // a few at most, from a crash
        // The key iterator copies a segment at a time, so the loop may read the map.
        for (String key : file.keySet()) {
            byte[] bytes = file.get(key);
            if (bytes == null) {
                continue;
            }
            if (isMirror(key)) {
                if (!file.containsKey(channelOf(key))) {
                    orphanedMirrors.add(key);
                }
                continue;
            }
            count.incrementAndGet();
            max = Math.max(max, ChannelMetaCodec.decode(bytes).channelId());
        }
        for (String mirror : orphanedMirrors) {
            byte[] bytes = file.get(mirror);
            file.put(channelOf(mirror), bytes);
            count.incrementAndGet();
            max = Math.max(max, ChannelMetaCodec.decode(bytes).channelId());
        }
        this.maxChannelId = max;
    }

    /** The channel's metadata, or null if it has none. */
    ChannelMeta find(String channel) {
        byte[] bytes = file.get(channel);
        return bytes == null ? null : ChannelMetaCodec.decode(bytes);
    }

    /** Stores the channel's metadata; {@code created}: the channel had none before. */
    void put(String channel, ChannelMeta meta, boolean created) {
        byte[] bytes = ChannelMetaCodec.encode(meta);
        file.put(channel, bytes);
        file.put(mirrorOf(channel), bytes);
        if (created) {
            count.incrementAndGet();
        }
    }

    void remove(String channel) {
        boolean removed = file.remove(channel) != null;
        file.remove(mirrorOf(channel));
        if (removed) {
            count.decrementAndGet();
        }
    }

    /** Every channel with its metadata; for sweeps off the home threads (a channel may change meanwhile). */
    void forEach(BiConsumer<String, ChannelMeta> action) {
        file.forEach((key, bytes) -> {
            if (!isMirror(key)) {
                action.accept(key, ChannelMetaCodec.decode(bytes));
            }
        });
    }

    long count() {
        return count.get();
    }

    /** The highest channel id in the file when it was opened. */
    long maxChannelId() {
        return maxChannelId;
    }

    @Override
    public void close() {
        file.close();
    }

    private static String mirrorOf(String channel) {
        return channel + MIRROR_SUFFIX;
    }

    private static String channelOf(String mirror) {
        return mirror.substring(0, mirror.length() - 1);
    }

    private static boolean isMirror(String key) {
        return !key.isEmpty() && key.charAt(key.length() - 1) == MIRROR_SUFFIX;
    }
}
