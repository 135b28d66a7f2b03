package io.livepush.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import io.livepush.server.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleMessageLogTest {
    @TempDir
    Path dir;

    private final List<ChronicleMessageLog> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (ChronicleMessageLog log : opened) {
            log.close();
        }
    }

    @Test
    void appendThenReadRoundTripsWithContinuousSeqs() {
        ChronicleMessageLog log = open(TestStores.config(dir));

        Message first = log.append("news", "headline", utf8("hello"), "alice", 1_000);
        Message second = log.append("news", "headline", utf8("world"), "", 1_001);

        assertThat(first.getSeq()).isEqualTo(1);
        assertThat(second.getSeq()).isEqualTo(2);
        assertThat(first.getChannel()).isEqualTo("news");
        assertThat(first.getEpoch()).isNotEmpty().isEqualTo(second.getEpoch());
        assertThat(log.read("news", 1, Long.MAX_VALUE, 100)).containsExactly(first, second);
        assertThat(log.find("news")).contains(new ChannelMeta(1, first.getEpoch(), 1, 2, 1_001));
        assertThat(log.messageCount()).isEqualTo(2);
    }

    @Test
    void readHonoursRangeBoundsAndMax() {
        ChronicleMessageLog log = open(TestStores.config(dir));
        appendMany(log, "c", 10);

        assertThat(seqs(log.read("c", 3, 6, 100))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(seqs(log.read("c", 3, 6, 2))).containsExactly(3L, 4L);
        assertThat(seqs(log.read("c", 0, 2, 100))).containsExactly(1L, 2L);
        assertThat(seqs(log.read("c", 9, 50, 100))).containsExactly(9L, 10L);
        assertThat(log.read("c", 11, 20, 100)).isEmpty();
        assertThat(log.read("c", 6, 3, 100)).isEmpty();
        assertThat(log.read("c", 1, 10, 0)).isEmpty();
        assertThat(log.read("unknown", 1, 10, 10)).isEmpty();
    }

    @Test
    void countRetentionAdvancesFirstSeqAndDropsOldMessages() {
        ChronicleMessageLog log = open(TestStores.config(dir, 5, Clock.systemUTC()));
        appendMany(log, "c", 12);

        ChannelMeta meta = log.find("c").orElseThrow();
        assertThat(meta.firstSeq()).isEqualTo(8);
        assertThat(meta.lastSeq()).isEqualTo(12);
        assertThat(seqs(log.read("c", 1, 100, 100))).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(log.messageCount()).isEqualTo(5);
    }

    @Test
    void appendAllContinuesTheSeqsAndTrimsLikeOneAppendEach() {
        ChronicleMessageLog log = open(TestStores.config(dir, 4, Clock.systemUTC()));
        appendMany(log, "c", 2);

        List<Message> batch = log.appendAll("c", List.of(draft("a", 10), draft("b", 11), draft("c", 12)));

        String epoch = log.find("c").orElseThrow().epoch();
        assertThat(seqs(batch)).containsExactly(3L, 4L, 5L);
        assertThat(batch).allSatisfy(m -> {
            assertThat(m.getChannel()).isEqualTo("c");
            assertThat(m.getEpoch()).isEqualTo(epoch);
        });
        assertThat(batch.get(0).getPayload()).isEqualTo(utf8("a"));
        assertThat(log.read("c", 3, 5, 10)).containsExactlyElementsOf(batch);
        assertThat(log.find("c")).contains(new ChannelMeta(1, epoch, 2, 5, 12));
        assertThat(log.append("c", "k", utf8("d"), "", 13).getSeq()).isEqualTo(6);
        assertThat(log.appendAll("c", List.of())).isEmpty();
    }

    @Test
    void idempotencyKeysOfTheLastWindowAreReadBackAfterAReopenOldestFirst() throws IOException {
        ChronicleMessageLog log = ChronicleMessageLog.open(TestStores.config(dir));
        log.appendAll(
                log.current("c"),
                "c",
                List.of(draft("old", 100), draft("a", 200), draft("plain", 201)),
                List.of("k-old", "k-a", ""));
        log.appendAll(log.current("c"), "c", List.of(draft("b", 202), draft("c", 203)), List.of("k-b", "k-c"));
        log.close();

        ChronicleMessageLog reopened = open(TestStores.config(dir));
        ChannelMeta meta = reopened.current("c");
        assertThat(reopened.recentKeys(meta, "c", 200, 100))
                .containsExactly(
                        new MessageLog.RecentKey("k-a", 2, 200),
                        new MessageLog.RecentKey("k-b", 4, 202),
                        new MessageLog.RecentKey("k-c", 5, 203));
        assertThat(reopened.recentKeys(meta, "c", 0, 2))
                .as("at most 2 messages looked at")
                .extracting(MessageLog.RecentKey::key)
                .containsExactly("k-b", "k-c");
        assertThat(reopened.recentKeys(meta, "c", 204, 100)).isEmpty();
        assertThat(reopened.recentKeys(reopened.current("none"), "none", 0, 100))
                .isEmpty();
        assertThat(reopened.read("c", 1, 5, 10))
                .extracting(m -> m.getPayload().toStringUtf8())
                .containsExactly("old", "a", "plain", "b", "c");
        assertThatThrownBy(() -> reopened.appendAll(meta, "c", List.of(draft("x", 300)), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ageRetentionDropsMessagesOlderThanMaxAge() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T00:00:00Z"));
        ChronicleMessageLog log = open(TestStores.config(dir, 1_000, clock)); // max age 1 h
        for (int i = 0; i < 3; i++) {
            log.append("c", "k", ByteString.EMPTY, "", clock.millis());
            clock.advance(Duration.ofMinutes(20));
        }
        // now = t0 + 60 min: the message at t0 is exactly 1 h old and still kept
        ChannelMeta before = log.current("c");
        assertThat(log.trimExpired(before, "c")).isSameAs(before);

        clock.advance(Duration.ofMinutes(21)); // t0 + 81 min: messages at t0 and t0 + 20 min are too old
        assertThat(log.trimExpired(log.current("c"), "c").firstSeq()).isEqualTo(3);
        assertThat(log.find("c").orElseThrow().firstSeq()).isEqualTo(3);
        assertThat(seqs(log.read("c", 1, 10, 10))).containsExactly(3L);

        clock.advance(Duration.ofHours(2));
        ChannelMeta empty = log.trimExpired(log.current("c"), "c");
        assertThat(empty.firstSeq()).isEqualTo(empty.lastSeq() + 1);
        assertThat(log.find("c")).contains(empty);
        assertThat(log.messageCount()).isZero();
        assertThat(log.append("c", "k", ByteString.EMPTY, "", clock.millis()).getSeq())
                .isEqualTo(4);
        ChannelMeta unknown = log.current("unknown");
        assertThat(log.trimExpired(unknown, "unknown")).isSameAs(unknown);
    }

    @Test
    void reopenKeepsHistoryEpochAndContinuesSeqs() throws IOException {
        ChronicleMessageLog log = ChronicleMessageLog.open(TestStores.config(dir));
        appendMany(log, "a", 3);
        appendMany(log, "b", 2);
        String epoch = log.find("a").orElseThrow().epoch();
        log.close();

        ChronicleMessageLog reopened = open(TestStores.config(dir));
        assertThat(seqs(reopened.read("a", 1, 10, 10))).containsExactly(1L, 2L, 3L);
        Message next = reopened.append("a", "k", ByteString.EMPTY, "", 5);
        assertThat(next.getSeq()).isEqualTo(4);
        assertThat(next.getEpoch()).isEqualTo(epoch);
        assertThat(channels(reopened)).containsExactlyInAnyOrder("a", "b");
        // channel ids continue past the existing ones, so a new channel cannot alias old message keys
        reopened.append("c", "k", ByteString.EMPTY, "", 6);
        assertThat(reopened.find("c").orElseThrow().channelId()).isEqualTo(3);
    }

    @Test
    void aWipedStoreGivesNewEpochs() throws IOException {
        ChronicleMessageLog log = ChronicleMessageLog.open(TestStores.config(dir));
        String before = log.append("c", "k", ByteString.EMPTY, "", 1).getEpoch();
        log.close();
        Files.delete(dir.resolve(ChronicleMessageLog.CHANNELS_FILE));
        Files.delete(dir.resolve(ChronicleMessageLog.MESSAGES_FILE));

        ChronicleMessageLog wiped = open(TestStores.config(dir));
        assertThat(wiped.find("c")).isEmpty();
        Message after = wiped.append("c", "k", ByteString.EMPTY, "", 2);
        assertThat(after.getSeq()).isEqualTo(1);
        assertThat(after.getEpoch()).isNotEqualTo(before);
    }

    @Test
    void aChannelWithoutMessagesHasAStableEpochAndNothingOnDisk() throws IOException {
        ChronicleMessageLog log = ChronicleMessageLog.open(TestStores.config(dir));
        ChannelMeta unborn = log.current("fresh");
        assertThat(unborn.stored()).isFalse();
        assertThat(unborn.firstSeq()).isEqualTo(1);
        assertThat(unborn.lastSeq()).isZero();
        assertThat(unborn.epoch()).hasSize(12).isEqualTo(log.current("fresh").epoch());
        assertThat(log.current("other").epoch()).isNotEqualTo(unborn.epoch());
        assertThat(log.find("fresh")).isEmpty();
        assertThat(log.channelCount()).isZero();
        log.close();

        ChronicleMessageLog reopened = open(TestStores.config(dir));
        assertThat(reopened.current("fresh").epoch())
                .as("stable across restarts")
                .isEqualTo(unborn.epoch());
        Message first = reopened.append("fresh", "k", ByteString.EMPTY, "", 1);
        assertThat(first.getEpoch())
                .as("the first message keeps the epoch reported before it")
                .isEqualTo(unborn.epoch());
        assertThat(channels(reopened)).containsExactly("fresh");
    }

    @Test
    void evictionTakesTheLeastRecentlyPublishedChannelsWholeAndTheyComeBackWithNewEpochs() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        ChronicleMessageLog log = open(new StoreConfig(dir, 100, 64, 10, 1_000, Duration.ofDays(1), clock));
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                log.append("c" + i, "k", ByteString.EMPTY, "", clock.millis()); // c0: the least recently published
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(log.overCapacity()).isFalse();
        String oldEpoch = log.current("c0").epoch();
        String neverUsed = log.current("never").epoch();
        log.append("c10", "k", ByteString.EMPTY, "", clock.millis());

        assertThat(log.overCapacity()).isTrue();
        List<MessageLog.Victim> victims = log.planEviction(name -> false);
        // Back under 90 %: 101 -> 90 messages and 11 -> 9 channels: the two oldest channels go.
        assertThat(victims).extracting(MessageLog.Victim::channel).containsExactlyInAnyOrder("c0", "c1");
        victims.forEach(v -> assertThat(log.evict(v)).isTrue());

        assertThat(log.overCapacity()).isFalse();
        assertThat(log.find("c0")).isEmpty();
        assertThat(log.messageCount()).isEqualTo(81);
        assertThat(log.channelCount()).isEqualTo(9);
        ChannelMeta back = log.current("c0");
        assertThat(back.epoch()).as("an evicted channel never reuses its epoch").isNotEqualTo(oldEpoch);
        assertThat(log.append("c0", "k", ByteString.EMPTY, "", clock.millis()).getSeq())
                .isEqualTo(1);
        assertThat(log.current("never").epoch())
                .as("unused channels move to the new generation too")
                .isNotEqualTo(neverUsed);
        assertThat(seqs(log.read("c2", 1, 100, 100))).hasSize(10);
    }

    @Test
    void aChannelPublishedAfterItWasChosenIsNotEvicted() {
        ChronicleMessageLog log = open(new StoreConfig(dir, 100, 64, 2, 1_000, Duration.ofDays(1), Clock.systemUTC()));
        appendMany(log, "a", 1);
        appendMany(log, "b", 1);
        appendMany(log, "c", 1);
        List<MessageLog.Victim> victims = log.planEviction(name -> false);
        assertThat(victims).isNotEmpty();
        victims.forEach(v -> log.append(v.channel(), "k", ByteString.EMPTY, "", 2));

        victims.forEach(v -> assertThat(log.evict(v)).isFalse());
        victims.forEach(v -> assertThat(log.find(v.channel())).isPresent());
    }

    @Test
    void interleavedChannelsKeepIndependentSeqs() {
        ChronicleMessageLog log = open(TestStores.config(dir));
        for (int i = 0; i < 5; i++) {
            log.append("a", "k", utf8("a" + i), "", i);
            log.append("b", "k", utf8("b" + i), "", i);
        }
        log.append("a", "k", utf8("a5"), "", 5);

        assertThat(seqs(log.read("a", 1, 100, 100))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(seqs(log.read("b", 1, 100, 100))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(log.read("b", 1, 100, 100))
                .extracting(m -> m.getPayload().toStringUtf8())
                .containsExactly("b0", "b1", "b2", "b3", "b4");
        assertThat(log.find("a").orElseThrow().epoch())
                .isNotEqualTo(log.find("b").orElseThrow().epoch());
    }

    @Test
    void concurrentWritersOnTheirOwnChannelsLoseNothing() throws Exception {
        ChronicleMessageLog log = open(TestStores.config(dir));
        int threads = 4;
        int perThread = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String channel = "ch-" + t;
                done.add(pool.submit(() -> appendMany(log, channel, perThread)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Long> expected = LongStream.rangeClosed(1, perThread).boxed().toList();
        for (int t = 0; t < threads; t++) {
            assertThat(seqs(log.read("ch-" + t, 1, perThread, perThread))).isEqualTo(expected);
        }
        assertThat(log.messageCount()).isEqualTo((long) threads * perThread);
    }

    @Test
    void aFullStoreRefusesTheAppendAndLeavesMetaUnchanged() {
        StoreConfig tiny = new StoreConfig(dir, 1_000, 64, 100, 1_000_000, Duration.ofHours(1), Clock.systemUTC());
        ChronicleMessageLog log = open(tiny);
        ByteString payload = utf8("p".repeat(64));

        long acked = 0;
        StoreFullException full = null;
        while (full == null && acked < 1_000_000) {
            try {
                acked = log.append("c", "k", payload, "", 1).getSeq();
            } catch (StoreFullException e) {
                full = e;
            }
        }

        assertThat(full).isNotNull().hasMessageContaining("full");
        assertThat(log.find("c").orElseThrow().lastSeq()).isEqualTo(acked);
        assertThat(seqs(log.read("c", acked, acked, 1))).containsExactly(acked);
        assertThatThrownBy(() -> log.append("c", "k", payload, "", 1)).isInstanceOf(StoreFullException.class);
        assertThat(log.find("c").orElseThrow().lastSeq()).isEqualTo(acked);
    }

    @Test
    void aFullStoreRefusesTheWholeBatch() {
        StoreConfig tiny = new StoreConfig(dir, 1_000, 64, 100, 1_000_000, Duration.ofHours(1), Clock.systemUTC());
        ChronicleMessageLog log = open(tiny);
        Message draft = draft("p".repeat(64), 1);

        long acked = 0;
        StoreFullException full = null;
        while (full == null && acked < 1_000_000) {
            try {
                List<Message> batch = log.appendAll("c", List.of(draft, draft, draft));
                acked = batch.get(batch.size() - 1).getSeq();
            } catch (StoreFullException e) {
                full = e;
            }
        }

        assertThat(full).isNotNull();
        assertThat(log.find("c").orElseThrow().lastSeq()).isEqualTo(acked);
        assertThat(seqs(log.read("c", acked - 2, acked + 3, 10))).containsExactly(acked - 2, acked - 1, acked);
    }

    @Test
    void aChannelEntryLostInACrashComesBackFromItsMirror() throws IOException {
        ChronicleMessageLog log = ChronicleMessageLog.open(TestStores.config(dir));
        appendMany(log, "news", 5);
        appendMany(log, "sport", 2);
        log.close();
        // What recovery does to an entry a kill -9 interrupted mid-update: it drops it.
        try (ChronicleMap<String, byte[]> channels = ChronicleMapBuilder.of(String.class, byte[].class)
                .createPersistedTo(
                        dir.resolve(ChronicleMessageLog.CHANNELS_FILE).toFile())) {
            assertThat(channels.remove("news")).isNotNull();
        }

        ChronicleMessageLog reopened = open(TestStores.config(dir));

        assertThat(reopened.find("news").orElseThrow().lastSeq()).isEqualTo(5);
        assertThat(seqs(reopened.read("news", 1, Long.MAX_VALUE, 100))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(reopened.channelCount()).isEqualTo(2);
        assertThat(channels(reopened)).containsExactlyInAnyOrder("news", "sport");
        assertThat(reopened.append("news", "k", utf8("after"), "", 9).getSeq()).isEqualTo(6);
        assertThat(reopened.append("fresh", "k", utf8("new"), "", 9).getSeq()).isEqualTo(1);
        assertThat(reopened.find("fresh").orElseThrow().channelId())
                .isNotIn(
                        reopened.find("news").orElseThrow().channelId(),
                        reopened.find("sport").orElseThrow().channelId());
    }

    @Test
    void theDataDirectoryCannotBeOpenedTwice() {
        open(TestStores.config(dir));
        assertThatThrownBy(() -> ChronicleMessageLog.open(TestStores.config(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open");
    }

    private ChronicleMessageLog open(StoreConfig config) {
        ChronicleMessageLog log = ChronicleMessageLog.open(config);
        opened.add(log);
        return log;
    }

    private static List<String> channels(MessageLog log) {
        List<String> names = new ArrayList<>();
        log.forEachChannel((name, meta) -> names.add(name));
        return names;
    }

    private static void appendMany(MessageLog log, String channel, int count) {
        for (int i = 0; i < count; i++) {
            log.append(channel, "k", utf8("m" + i), "", i);
        }
    }

    private static Message draft(String payload, long timestampMs) {
        return Message.newBuilder()
                .setKind("k")
                .setPayload(utf8(payload))
                .setTimestampMs(timestampMs)
                .build();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::getSeq).toList();
    }
}
