package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * {@code channels.dat}: channel name → {@link ChannelMetaCodec encoded} {@link ChannelMeta}, for the
 * channels that have had a message. Nothing of it is kept on the heap (a million channels would cost
 * hundreds of megabytes there): the channel registry keeps the metadata of the channels in use, and
 * reads the file for the others. Each channel is written by its home thread only.
 */
final class ChannelTable implements Closeable {
    private final ChronicleMap<String, byte[]> file;
    private final AtomicLong count;

    ChannelTable(ChronicleMap<String, byte[]> file) {
        this.file = requireNonNull(file, "file");
        this.count = new AtomicLong(file.longSize());
    }

    /** The channel's metadata, or null if it has none. */
    ChannelMeta find(String channel) {
        byte[] bytes = file.get(channel);
        return bytes == null ? null : ChannelMetaCodec.decode(bytes);
    }

    /** Stores the channel's metadata; {@code created}: the channel had none before. */
    void put(String channel, ChannelMeta meta, boolean created) {
        file.put(channel, ChannelMetaCodec.encode(meta));
        if (created) {
            count.incrementAndGet();
        }
    }

    void remove(String channel) {
        if (file.remove(channel) != null) {
            count.decrementAndGet();
        }
    }

    /** Every channel with its metadata; for sweeps off the home threads (a channel may change meanwhile). */
    void forEach(BiConsumer<String, ChannelMeta> action) {
        file.forEach((channel, bytes) -> action.accept(channel, ChannelMetaCodec.decode(bytes)));
    }

    long count() {
        return count.get();
    }

    long maxChannelId() {
        long[] max = {0};
        forEach((channel, meta) -> max[0] = Math.max(max[0], meta.channelId()));
        return max[0];
    }

    @Override
    public void close() {
        file.close();
    }
}
