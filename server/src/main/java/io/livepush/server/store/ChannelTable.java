package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * {@code channels.dat} (channel name → {@link ChannelMetaCodec encoded} {@link ChannelMeta}) with a copy
 * of every channel's metadata in memory.
 *
 * <p>Every append reads its channel's metadata: from the copy that is a hash lookup, from the file a
 * map query, a UTF-8 encoding of the name and a decode. The copy stays exact because this process
 * alone writes the file (see {@link DataDirLock}) and every write goes through here: the file first
 * (the commit point that survives a crash), then the copy (what readers in this process see).
 */
final class ChannelTable implements Closeable {
    private final ChronicleMap<String, byte[]> file;
    private final ConcurrentHashMap<String, ChannelMeta> metas = new ConcurrentHashMap<>();

    ChannelTable(ChronicleMap<String, byte[]> file) {
        this.file = requireNonNull(file, "file");
        file.forEach((channel, bytes) -> metas.put(channel, ChannelMetaCodec.decode(bytes)));
    }

    /** The channel's metadata, or null if it has none. */
    ChannelMeta find(String channel) {
        return metas.get(channel);
    }

    /** Stores {@code created} unless the channel has metadata already; returns the channel's metadata. */
    ChannelMeta createIfAbsent(String channel, ChannelMeta created) {
        byte[] raced = file.putIfAbsent(channel, ChannelMetaCodec.encode(created));
        // Another thread may have created it first (e.g. an admin read): its metadata wins, and a
        // later commit by the channel's home is never overwritten by this stale one.
        ChannelMeta winner = raced == null ? created : ChannelMetaCodec.decode(raced);
        ChannelMeta cached = metas.putIfAbsent(channel, winner);
        return cached == null ? winner : cached;
    }

    /** Replaces the channel's metadata; only its home thread calls this. */
    void commit(String channel, ChannelMeta meta) {
        file.put(channel, ChannelMetaCodec.encode(meta));
        metas.put(channel, meta);
    }

    List<String> names() {
        return new ArrayList<>(metas.keySet());
    }

    long maxChannelId() {
        long max = 0;
        for (ChannelMeta meta : metas.values()) {
            max = Math.max(max, meta.channelId());
        }
        return max;
    }

    @Override
    public void close() {
        file.close();
    }
}
