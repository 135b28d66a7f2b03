package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The embedded message log: two persisted Chronicle Maps in the data directory.
 *
 * <ul>
 *   <li>{@code channels.dat}: channel name → {@link ChannelMetaCodec encoded} {@link ChannelMeta}, read
 *       through its in-memory copy ({@link ChannelTable});
 *   <li>{@code messages.dat}: {@link MessageKey} → {@link StoredMessageCodec encoded} message.
 * </ul>
 *
 * <p>A channel's metadata is its commit point: a message is written before the metadata that makes it
 * visible, and removed before the metadata that stops counting it, so a crash between the two leaves
 * at worst an unreachable or a missing-but-skipped entry, never an acknowledged message lost. Writes go
 * to memory-mapped files: they survive a process crash, not a power loss.
 *
 * <p>Thread-safety follows {@link MessageLog}: Chronicle Map is safe for concurrent use, and each
 * channel has a single writer, so a channel's read-modify-write of its metadata needs no lock.
 */
public final class ChronicleMessageLog implements MessageLog {
    static final String CHANNELS_FILE = "channels.dat";
    static final String MESSAGES_FILE = "messages.dat";

    /** Typical channel-name size in bytes, for sizing the channels file. */
    private static final int AVERAGE_CHANNEL_NAME_BYTES = 32;
    /** Lets the files grow past the configured entries (extra segment tiers) before they are full. */
    private static final double MAX_BLOAT_FACTOR = 2.0;
    private static final int EPOCH_BYTES = 6; // 12 hex chars
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreConfig config;
    private final DataDirLock lock;
    private final ChannelTable channels;
    private final ChronicleMap<Long, byte[]> messages;
    private final AtomicLong nextChannelId;

    private ChronicleMessageLog(
            StoreConfig config, DataDirLock lock, ChannelTable channels, ChronicleMap<Long, byte[]> messages) {
        this.config = config;
        this.lock = lock;
        this.channels = channels;
        this.messages = messages;
        this.nextChannelId = new AtomicLong(channels.maxChannelId() + 1);
    }

    /** Opens the store in {@code config.dataDir()}, creating it, or recovering it after a crash. */
    public static ChronicleMessageLog open(StoreConfig config) {
        requireNonNull(config, "config");
        Path dir = config.dataDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data directory " + dir, e);
        }
        DataDirLock lock = DataDirLock.acquire(dir);
        ChronicleMap<String, byte[]> channels = null;
        try {
            dropOrphanedMessages(dir);
            channels = PersistedMaps.open(channelsBuilder(config), dir.resolve(CHANNELS_FILE), lock.previousRunUnclean());
            ChannelTable table = new ChannelTable(channels);
            ChronicleMap<Long, byte[]> messages =
                    PersistedMaps.open(messagesBuilder(config), dir.resolve(MESSAGES_FILE), lock.previousRunUnclean());
            return new ChronicleMessageLog(config, lock, table, messages);
        } catch (RuntimeException e) {
            if (channels != null) {
                channels.close();
            }
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public Optional<ChannelMeta> find(String channel) {
        requireNonNull(channel, "channel");
        return Optional.ofNullable(channels.find(channel));
    }

    @Override
    public ChannelMeta open(String channel) {
        requireNonNull(channel, "channel");
        ChannelMeta existing = channels.find(channel);
        if (existing != null) {
            return existing;
        }
        long id = nextChannelId.getAndIncrement();
        if (id > StoreConfig.MAX_CHANNEL_ID) {
            throw new StoreFullException("No channel ids left (" + StoreConfig.MAX_CHANNEL_ID + " used)");
        }
        // A channel without metadata has no history we know of: a fresh random epoch tells clients that
        // positions from a wiped or lost store are meaningless here.
        try {
            return channels.createIfAbsent(channel, new ChannelMeta(id, newEpoch(), 1, 0));
        } catch (IllegalStateException e) {
            throw full(CHANNELS_FILE, config.maxChannels() + " channels", e);
        }
    }

    @Override
    public Message append(String channel, String kind, ByteString payload, String publisher, long timestampMs) {
        requireNonNull(channel, "channel");
        requireNonNull(kind, "kind");
        requireNonNull(payload, "payload");
        requireNonNull(publisher, "publisher");
        ChannelMeta meta = open(channel);
        long seq = meta.lastSeq() + 1;
        Message stored = put(meta, Message.newBuilder()
                .setSeq(seq)
                .setKind(kind)
                .setPayload(payload)
                .setPublisher(publisher)
                .setTimestampMs(timestampMs)
                .build());
        commit(channel, meta, seq);
        return withChannel(stored, channel, meta);
    }

    @Override
    public List<Message> appendAll(String channel, List<Message> drafts) {
        requireNonNull(channel, "channel");
        requireNonNull(drafts, "drafts");
        if (drafts.isEmpty()) {
            return List.of();
        }
        ChannelMeta meta = open(channel);
        long seq = meta.lastSeq();
        List<Message> stored = new ArrayList<>(drafts.size());
        for (Message draft : drafts) {
            stored.add(put(meta, draft.toBuilder().clearChannel().clearEpoch().setSeq(++seq).build()));
        }
        commit(channel, meta, seq);
        List<Message> appended = new ArrayList<>(stored.size());
        for (Message m : stored) {
            appended.add(withChannel(m, channel, meta));
        }
        return appended;
    }

    @Override
    public List<Message> read(String channel, long fromSeq, long toSeq, int max) {
        requireNonNull(channel, "channel");
        Optional<ChannelMeta> found = find(channel);
        if (found.isEmpty() || max <= 0) {
            return List.of();
        }
        ChannelMeta meta = found.get();
        long from = Math.max(fromSeq, meta.firstSeq());
        long to = Math.min(toSeq, meta.lastSeq());
        List<Message> out = new ArrayList<>((int) Math.min(max, Math.max(0, to - from + 1)));
        for (long seq = from; seq <= to && out.size() < max; seq++) {
            byte[] bytes = messages.get(MessageKey.of(meta.channelId(), seq));
            if (bytes != null) { // a crash mid-trim can leave holes at the old end
                out.add(StoredMessageCodec.decode(bytes, channel, meta.epoch()));
            }
        }
        return out;
    }

    @Override
    public int trimExpired(String channel) {
        requireNonNull(channel, "channel");
        long nowMs = config.clock().millis();
        Optional<ChannelMeta> found = find(channel);
        if (found.isEmpty()) {
            return 0;
        }
        ChannelMeta meta = found.get();
        long cutoffMs = nowMs - config.retentionMaxAge().toMillis();
        long first = meta.firstSeq();
        int removed = 0;
        // Timestamps grow with seq (messages are stamped as they are appended), so stop at the first young one.
        for (; first <= meta.lastSeq(); first++) {
            long key = MessageKey.of(meta.channelId(), first);
            byte[] bytes = messages.get(key);
            if (bytes != null) {
                if (StoredMessageCodec.decode(bytes, channel, meta.epoch()).getTimestampMs() >= cutoffMs) {
                    break;
                }
                messages.remove(key);
                removed++;
            }
        }
        if (first != meta.firstSeq()) {
            putMeta(channel, new ChannelMeta(meta.channelId(), meta.epoch(), first, meta.lastSeq()));
        }
        return removed;
    }

    @Override
    public List<String> channels() {
        return channels.names();
    }

    @Override
    public long messageCount() {
        return messages.longSize();
    }

    /** The locked data directory, for other stores that keep their files beside the log's. */
    Path dataDir() {
        return config.dataDir();
    }

    /** Whether the files in {@link #dataDir()} must be recovered (their last owner did not close them). */
    boolean previousRunUnclean() {
        return lock.previousRunUnclean();
    }

    @Override
    public void close() throws IOException {
        try {
            messages.close();
            channels.close();
        } finally {
            lock.close(); // last: marks the directory clean only after the maps are closed
        }
    }

    /**
     * Writes a message of the channel, built without channel and epoch (exactly what is stored, see
     * {@link StoredMessageCodec}); it stays invisible until {@link #commit}.
     */
    private Message put(ChannelMeta meta, Message stored) {
        try {
            messages.put(MessageKey.of(meta.channelId(), stored.getSeq()), StoredMessageCodec.encode(stored));
            return stored;
        } catch (IllegalStateException e) {
            // Metadata untouched: the channel is exactly as before the call.
            throw full(MESSAGES_FILE, config.maxMessages() + " messages", e);
        }
    }

    /**
     * Makes the channel's messages up to {@code lastSeq} visible, trimming to the count retention: one
     * metadata write for both ends, after the new messages are written and the trimmed ones removed.
     */
    private void commit(String channel, ChannelMeta meta, long lastSeq) {
        long first = trimToCount(meta.channelId(), meta.firstSeq(), lastSeq);
        putMeta(channel, new ChannelMeta(meta.channelId(), meta.epoch(), first, lastSeq));
    }

    /** A stored message as callers see it: with channel and epoch. */
    private static Message withChannel(Message stored, String channel, ChannelMeta meta) {
        return stored.toBuilder().setChannel(channel).setEpoch(meta.epoch()).build();
    }

    /** Removes the oldest messages beyond the per-channel count retention; returns the new first seq. */
    private long trimToCount(long channelId, long first, long last) {
        while (last - first + 1 > config.retentionMaxMessages()) {
            messages.remove(MessageKey.of(channelId, first));
            first++;
        }
        return first;
    }

    private void putMeta(String channel, ChannelMeta meta) {
        try {
            channels.commit(channel, meta);
        } catch (IllegalStateException e) {
            throw full(CHANNELS_FILE, config.maxChannels() + " channels", e);
        }
    }

    private StoreFullException full(String file, String sizedFor, IllegalStateException cause) {
        return new StoreFullException(
                "Store file " + config.dataDir().resolve(file) + " is full (sized for " + sizedFor
                        + "); raise the store size or lower the retention",
                cause);
    }

    private static ChronicleMapBuilder<String, byte[]> channelsBuilder(StoreConfig config) {
        return ChronicleMapBuilder.of(String.class, byte[].class)
                .name("livepush-channels")
                .entries(config.maxChannels())
                .averageKeySize(AVERAGE_CHANNEL_NAME_BYTES)
                .averageValueSize(ChannelMetaCodec.TYPICAL_BYTES)
                .maxBloatFactor(MAX_BLOAT_FACTOR)
                .putReturnsNull(true); // nothing reads the replaced value: skip copying it out
    }

    private static ChronicleMapBuilder<Long, byte[]> messagesBuilder(StoreConfig config) {
        return ChronicleMapBuilder.of(Long.class, byte[].class)
                .name("livepush-messages")
                .entries(config.maxMessages())
                .averageValueSize(config.averageMessageBytes())
                .maxBloatFactor(MAX_BLOAT_FACTOR)
                // Nothing reads the replaced or removed value: skip copying it out.
                .putReturnsNull(true)
                .removeReturnsNull(true);
    }

    /**
     * Without {@code channels.dat} the message keys mean nothing (channel ids restart at 1 and would
     * alias old entries), so a {@code messages.dat} left alone is deleted rather than reused.
     */
    private static void dropOrphanedMessages(Path dir) {
        if (Files.notExists(dir.resolve(CHANNELS_FILE))) {
            try {
                Files.deleteIfExists(dir.resolve(MESSAGES_FILE));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete orphaned " + dir.resolve(MESSAGES_FILE), e);
            }
        }
    }

    private static String newEpoch() {
        byte[] bytes = new byte[EPOCH_BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
