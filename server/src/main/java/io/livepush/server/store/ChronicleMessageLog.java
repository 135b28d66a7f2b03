package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The embedded message log: two persisted Chronicle Maps in the data directory, each sized by its
 * capacity and grown as it fills ({@link PersistedMaps#growable}).
 *
 * <ul>
 *   <li>{@code channels.dat} ({@link ChannelTable}): channel name → {@link ChannelMeta}, for channels
 *       that have had a message; a channel without one has nothing on disk and its epoch from
 *       {@link StoreIdentity};
 *   <li>{@code messages.dat}: {@link MessageKey} → {@link StoredMessageCodec encoded} message, with the
 *       idempotency key it was published with.
 * </ul>
 *
 * <p>A channel's metadata is its commit point: a message is written before the metadata that makes it
 * visible, and removed after the metadata that stops counting it, so a crash between the two leaves
 * at worst an unreachable entry, never an acknowledged message lost nor a hole presented as kept.
 * Writes go to memory-mapped files: they survive a process crash, not a power loss.
 *
 * <p>Over capacity it evicts rather than refuses ({@link #planEviction}); a put fails only past the
 * files' headroom, when eviction could not keep up.
 */
public final class ChronicleMessageLog implements MessageLog {
    static final String CHANNELS_FILE = "channels.dat";
    static final String MESSAGES_FILE = "messages.dat";

    /** Typical channel-name size in bytes, for sizing the channels file. */
    private static final int AVERAGE_CHANNEL_NAME_BYTES = 24;

    private final StoreConfig config;
    private final ChannelRetention retention;
    private final DataDirLock lock;
    private final StoreIdentity identity;
    private final ChannelTable channels;
    private final ChronicleMap<Long, byte[]> messages;
    private final AtomicLong messageCount;
    private final AtomicLong nextChannelId;

    private ChronicleMessageLog(
            StoreConfig config,
            ChannelRetention retention,
            DataDirLock lock,
            StoreIdentity identity,
            ChannelTable channels,
            ChronicleMap<Long, byte[]> messages) {
        this.config = config;
        this.retention = retention;
        this.lock = lock;
        this.identity = identity;
        this.channels = channels;
        this.messages = messages;
        this.messageCount = new AtomicLong(messages.longSize());
        this.nextChannelId = new AtomicLong(channels.maxChannelId() + 1);
    }

    /** Opens the store in {@code config.dataDir()}, creating it, or recovering it after a crash. */
    public static ChronicleMessageLog open(StoreConfig config) {
        return open(config, ChannelRetention.fixed(config.retentionMaxMessages(), config.retentionMaxAge()));
    }

    /** {@link #open(StoreConfig)}, each channel keeping what {@code retention} says instead of the config's limits. */
    public static ChronicleMessageLog open(StoreConfig config, ChannelRetention retention) {
        requireNonNull(config, "config");
        requireNonNull(retention, "retention");
        Path dir = config.dataDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data directory " + dir, e);
        }
        DataDirLock lock = DataDirLock.acquire(dir);
        ChronicleMap<String, byte[]> channels = null;
        try {
            boolean fresh = Files.notExists(dir.resolve(CHANNELS_FILE));
            if (fresh) {
                dropOrphanedMessages(dir);
            }
            StoreIdentity identity = StoreIdentity.open(dir, fresh);
            CorruptionLog channelCorruptions = new CorruptionLog(dir.resolve(CHANNELS_FILE));
            channels = PersistedMaps.open(
                    channelsBuilder(config), dir.resolve(CHANNELS_FILE), lock.previousRunUnclean(), channelCorruptions);
            if (channelCorruptions.anyFindings()) {
                // Should recovery have dropped a channel and its mirror, the channel must not start
                // again at seq 1 under its old epoch: unborn channels get the next generation's epochs.
                identity.nextGeneration();
            }
            ChronicleMap<Long, byte[]> messages =
                    PersistedMaps.open(messagesBuilder(config), dir.resolve(MESSAGES_FILE), lock.previousRunUnclean());
            return new ChronicleMessageLog(config, retention, lock, identity, new ChannelTable(channels), messages);
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
        return Optional.ofNullable(channels.find(requireNonNull(channel, "channel")));
    }

    @Override
    public ChannelMeta current(String channel) {
        ChannelMeta stored = channels.find(requireNonNull(channel, "channel"));
        return stored != null ? stored : ChannelMeta.unborn(identity.epochOf(channel));
    }

    @Override
    public Appended appendAll(ChannelMeta current, String channel, List<Message> drafts, List<String> idempotencyKeys) {
        requireNonNull(current, "current");
        requireNonNull(channel, "channel");
        requireNonNull(drafts, "drafts");
        requireNonNull(idempotencyKeys, "idempotencyKeys");
        if (idempotencyKeys.size() != drafts.size()) {
            throw new IllegalArgumentException(
                    "idempotencyKeys: " + idempotencyKeys.size() + " (expected: one per draft, " + drafts.size() + ")");
        }
        if (drafts.isEmpty()) {
            return new Appended(current, List.of());
        }
        ChannelMeta meta = current.stored() ? current : new ChannelMeta(newChannelId(), current.epoch(), 1, 0, 0);
        long seq = meta.lastSeq();
        long lastMs = meta.lastPublishMs();
        List<Message> stored = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            Message m = drafts.get(i).toBuilder()
                    .clearChannel()
                    .clearEpoch()
                    .setSeq(++seq)
                    .build();
            put(meta.channelId(), m, idempotencyKeys.get(i));
            stored.add(m);
            lastMs = Math.max(lastMs, m.getTimestampMs());
        }
        long first = trimToCount(
                meta.channelId(), meta.firstSeq(), seq, retention.of(channel).maxMessages());
        ChannelMeta committed = new ChannelMeta(meta.channelId(), meta.epoch(), first, seq, lastMs);
        putMeta(channel, committed, !current.stored());
        List<Message> appended = new ArrayList<>(stored.size());
        for (Message m : stored) {
            appended.add(
                    m.toBuilder().setChannel(channel).setEpoch(meta.epoch()).build());
        }
        return new Appended(committed, appended);
    }

    @Override
    public List<Message> read(ChannelMeta meta, String channel, long fromSeq, long toSeq, int max) {
        requireNonNull(meta, "meta");
        requireNonNull(channel, "channel");
        if (!meta.stored() || max <= 0) {
            return List.of();
        }
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
    public List<RecentKey> recentKeys(ChannelMeta meta, String channel, long sinceMs, int maxMessages) {
        requireNonNull(meta, "meta");
        requireNonNull(channel, "channel");
        if (!meta.stored()) {
            return List.of();
        }
        ArrayDeque<RecentKey> keys = new ArrayDeque<>();
        long oldest = Math.max(meta.firstSeq(), meta.lastSeq() - maxMessages + 1);
        // Newest first, up to the first one published before sinceMs: timestamps grow with seq.
        for (long seq = meta.lastSeq(); seq >= oldest; seq--) {
            byte[] bytes = messages.get(MessageKey.of(meta.channelId(), seq));
            if (bytes == null) {
                continue; // a crash mid-trim can leave holes at the old end
            }
            StoredMessageCodec.Keyed stored = StoredMessageCodec.decodeKeyed(bytes, channel, meta.epoch());
            long publishedMs = stored.message().getTimestampMs();
            if (publishedMs < sinceMs) {
                break;
            }
            if (!stored.idempotencyKey().isEmpty()) {
                keys.addFirst(new RecentKey(stored.idempotencyKey(), seq, publishedMs));
            }
        }
        return List.copyOf(keys);
    }

    @Override
    public ChannelMeta trimExpired(ChannelMeta current, String channel) {
        requireNonNull(current, "current");
        requireNonNull(channel, "channel");
        long cutoffMs = config.clock().millis() - retentionMaxAge(channel).toMillis();
        long first = current.firstSeq();
        // Timestamps grow with seq (messages are stamped as they are appended), so stop at the first young one.
        for (; first <= current.lastSeq(); first++) {
            byte[] bytes = messages.get(MessageKey.of(current.channelId(), first));
            if (bytes != null
                    && StoredMessageCodec.decode(bytes, channel, current.epoch())
                                    .getTimestampMs()
                            >= cutoffMs) {
                break;
            }
        }
        if (first == current.firstSeq()) {
            return current;
        }
        ChannelMeta trimmed = new ChannelMeta(
                current.channelId(), current.epoch(), first, current.lastSeq(), current.lastPublishMs());
        putMeta(channel, trimmed, false); // the commit point first: then the removed entries are unreachable
        removeMessages(current.channelId(), current.firstSeq(), first - 1);
        return trimmed;
    }

    @Override
    public Duration retentionMaxAge(String channel) {
        return retention.of(channel).maxAge();
    }

    @Override
    public boolean overCapacity() {
        return messageCount.get() > config.maxMessages() || channels.count() > config.maxChannels();
    }

    @Override
    public List<Victim> planEviction(Predicate<String> spared) {
        List<Victim> victims = EvictionPlanner.plan(
                channels,
                spared,
                messageCount.get(),
                config.maxMessages(),
                config.maxChannels(),
                config.clock().millis());
        if (!victims.isEmpty()) {
            identity.nextGeneration(); // before any victim goes: they come back with other epochs
        }
        return victims;
    }

    @Override
    public boolean evict(Victim victim) {
        requireNonNull(victim, "victim");
        ChannelMeta meta = channels.find(victim.channel());
        if (meta == null
                || meta.channelId() != victim.meta().channelId()
                || meta.lastSeq() != victim.meta().lastSeq()) {
            return false; // published since it was chosen: no longer the least recent
        }
        // Nothing kept first (a crash after it leaves a consistent, empty history), then the messages,
        // then the metadata: the channel's next use gets the current generation's epoch.
        putMeta(
                victim.channel(),
                new ChannelMeta(
                        meta.channelId(), meta.epoch(), meta.lastSeq() + 1, meta.lastSeq(), meta.lastPublishMs()),
                false);
        removeMessages(meta.channelId(), meta.firstSeq(), meta.lastSeq());
        channels.remove(victim.channel());
        return true;
    }

    @Override
    public void forEachChannel(BiConsumer<String, ChannelMeta> action) {
        channels.forEach(requireNonNull(action, "action"));
    }

    @Override
    public long messageCount() {
        return messageCount.get();
    }

    @Override
    public long channelCount() {
        return channels.count();
    }

    @Override
    public long maxMessages() {
        return config.maxMessages();
    }

    @Override
    public long maxChannels() {
        return config.maxChannels();
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

    private long newChannelId() {
        long id = nextChannelId.getAndIncrement();
        if (id > StoreConfig.MAX_CHANNEL_ID) {
            throw new StoreFullException("No channel ids left (" + StoreConfig.MAX_CHANNEL_ID + " used)");
        }
        return id;
    }

    /** Writes a message without channel and epoch; it stays invisible until its channel's metadata counts it. */
    private void put(long channelId, Message stored, String idempotencyKey) {
        try {
            messages.put(MessageKey.of(channelId, stored.getSeq()), StoredMessageCodec.encode(stored, idempotencyKey));
            messageCount.incrementAndGet();
        } catch (IllegalStateException e) {
            // Metadata untouched: the channel is exactly as before the call.
            throw full(MESSAGES_FILE, config.maxMessages() + " messages (--store-max-messages)", e);
        }
    }

    /** Removes the oldest messages beyond the per-channel count retention; returns the new first seq. */
    private long trimToCount(long channelId, long first, long last, int maxMessages) {
        long keptFirst = Math.max(first, last - maxMessages + 1);
        // Removed before the metadata moves past them: harmless, as they are older than anything a
        // reader of the new metadata asks for, and a reader of the old one skips a missing entry.
        removeMessages(channelId, first, keptFirst - 1);
        return keptFirst;
    }

    private void removeMessages(long channelId, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            messages.remove(MessageKey.of(channelId, seq));
            messageCount.decrementAndGet();
        }
    }

    private void putMeta(String channel, ChannelMeta meta, boolean created) {
        try {
            channels.put(channel, meta, created);
        } catch (IllegalStateException e) {
            throw full(CHANNELS_FILE, config.maxChannels() + " channels (--store-max-channels)", e);
        }
    }

    private StoreFullException full(String file, String sizedFor, IllegalStateException cause) {
        return new StoreFullException(
                "Store file " + config.dataDir().resolve(file) + " is full (sized for " + sizedFor
                        + ") and eviction has not caught up",
                cause);
    }

    private static ChronicleMapBuilder<String, byte[]> channelsBuilder(StoreConfig config) {
        return PersistedMaps.growable(
                ChronicleMapBuilder.of(String.class, byte[].class)
                        .name("livepush-channels")
                        .averageKeySize(AVERAGE_CHANNEL_NAME_BYTES)
                        .averageValueSize(ChannelMetaCodec.TYPICAL_BYTES)
                        .putReturnsNull(true),
                2 * config.maxChannels()); // each channel's entry and its mirror (ChannelTable)
    }

    private static ChronicleMapBuilder<Long, byte[]> messagesBuilder(StoreConfig config) {
        return PersistedMaps.growable(
                ChronicleMapBuilder.of(Long.class, byte[].class)
                        .name("livepush-messages")
                        .averageValueSize(config.averageMessageBytes())
                        // Nothing reads the replaced or removed value: skip copying it out.
                        .putReturnsNull(true)
                        .removeReturnsNull(true),
                config.maxMessages());
    }

    /**
     * Without {@code channels.dat} the message keys mean nothing (channel ids restart at 1 and would
     * alias old entries), so a {@code messages.dat} left alone is deleted rather than reused.
     */
    private static void dropOrphanedMessages(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(MESSAGES_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete orphaned " + dir.resolve(MESSAGES_FILE), e);
        }
    }
}
