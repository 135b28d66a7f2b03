package io.livepush.server.it;

import static io.livepush.server.it.Seqs.position;
import static io.livepush.server.it.Seqs.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribed;
import io.livepush.proto.v1.Unsubscribe;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10: memory follows what is live and the history is a bounded resume cache. Channel state is
 * released when idle and rebuilt on the next use; reading or joining a channel without messages writes
 * nothing; a full history evicts the least recently published channels, which come back with new
 * epochs, and live traffic never stops.
 */
class ChannelLifecycleIT {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @RegisterExtension
    static final PushServerExtension idle =
            new PushServerExtension(b -> b.channelIdleSeconds(1).replayPageSize(4));

    @RegisterExtension
    static final PushServerExtension reads = new PushServerExtension();

    /** 200 messages and 50 channels of history: a few hundred one-message channels overflow both. */
    @RegisterExtension
    static final PushServerExtension small =
            new PushServerExtension(b -> b.storeMaxMessages(200).storeMaxChannels(50));

    @Test
    void anIdleChannelIsReleasedAndResumingAcrossTheReleaseIsStillExact() throws Exception {
        String epoch;
        try (TestClient pub = idle.connect("pub");
                TestClient member = idle.connect("member")) {
            assertThat(member.subscribe("life.a").getSubscribed().getLastSeq()).isZero();
            epoch = publish(pub, "life.a", 1, 20);
            assertThat(member.messages("life.a", 20))
                    .extracting(Message::getSeq)
                    .containsExactlyElementsOf(range(1, 20));
        }
        awaitGauge(idle, "push_subscriptions", 0);
        awaitGauge(idle, "push_channels_active", 0); // no member, nothing queued, no publish for 1 s

        try (TestClient pub = idle.connect("pub2");
                TestClient back = idle.connect("back")) {
            assertThat(publish(pub, "life.a", 21, 25))
                    .as("the seq goes on with the same epoch")
                    .isEqualTo(epoch);
            Subscribed resumed = back.subscribe("life.a", position(epoch, 12)).getSubscribed();
            assertThat(resumed.getRecovered()).isTrue();
            assertThat(resumed.getReplayed()).isEqualTo(13);
            assertThat(back.messages("life.a", 13))
                    .extracting(Message::getSeq)
                    .containsExactlyElementsOf(range(13, 25));
            assertThat(gauge(idle, "push_channels_active")).isPositive();
        }
    }

    @Test
    void readingOrFollowingChannelsWithoutMessagesWritesNothing() throws Exception {
        EngineUnderTest.assumeEmbedded("the files of the embedded store");
        try (TestClient c = reads.connect("reader")) {
            for (int i = 0; i < 200; i++) {
                ServerFrame h = c.request(
                        ClientFrame.newBuilder().setHistory(History.newBuilder().setChannel("none." + i)));
                assertThat(h.getHistory().getLastSeq()).isZero();
            }
            RoomJoined joined = c.join("none.room").getJoined();
            c.subscribe("none.sub");
            c.request(ClientFrame.newBuilder()
                    .setUnsubscribe(Unsubscribe.newBuilder().setChannel("none.sub")));
            assertThat(new AdminClient(reads.adminUrl(), PushServerExtension.API_KEY)
                            .get("/api/v1/channels/none.admin/messages")
                            .status())
                    .isEqualTo(200);

            assertThat(gauge(reads, "push_store_entries", "channels")).isZero();
            assertThat(gauge(reads, "push_store_entries", "messages")).isZero();
            try (TestClient pub = reads.connect("pub")) {
                assertThat(publish(pub, "none.room", 1, 1))
                        .as("the first message keeps the epoch joined reported")
                        .isEqualTo(joined.getEpoch());
            }
            assertThat(gauge(reads, "push_store_entries", "channels")).isEqualTo(1);
        }
    }

    @Test
    void aFullHistoryEvictsTheLeastRecentlyPublishedChannelsWithNewEpochsAndRefusesNothing() throws Exception {
        EngineUnderTest.assumeEmbedded("eviction from the embedded store; Redis trims by MAXLEN and TTL");
        String firstEpoch;
        String lastEpoch;
        try (TestClient pub = small.connect("pub")) {
            firstEpoch = publish(pub, "full.0", 1, 1);
            for (int i = 1; i < 399; i++) {
                publish(pub, "full." + i, 1, 1); // every one acknowledged: publish asserts it
            }
            lastEpoch = publish(pub, "full.399", 1, 1);
        }
        await(() -> gauge(small, "push_store_entries", "channels") <= 50
                && gauge(small, "push_store_evictions_total", "channels") > 0);
        assertExactResumeOfTheNewestAndNewEpochForTheOldest(firstEpoch, lastEpoch);

        small.stop();
        small.start();
        assertExactResumeOfTheNewestAndNewEpochForTheOldest(firstEpoch, lastEpoch);
    }

    private static void assertExactResumeOfTheNewestAndNewEpochForTheOldest(String firstEpoch, String lastEpoch)
            throws Exception {
        try (TestClient c = small.connect("resumer")) {
            Subscribed oldest = c.subscribe("full.0", position(firstEpoch, 1)).getSubscribed();
            assertThat(oldest.getRecovered()).isFalse();
            assertThat(oldest.getEpoch())
                    .as("evicted: never the old epoch again")
                    .isNotEqualTo(firstEpoch);

            Subscribed newest = c.subscribe("full.399", position(lastEpoch, 0)).getSubscribed();
            assertThat(newest.getRecovered()).isTrue();
            assertThat(newest.getReplayed()).isEqualTo(1);
            assertThat(c.messages("full.399", 1).get(0).getEpoch()).isEqualTo(lastEpoch);
        }
    }

    /** Publishes seqs {@code from..to} to {@code channel}, each acknowledged with that seq; returns the epoch. */
    private static String publish(TestClient pub, String channel, long from, long to) {
        String epoch = null;
        for (long seq = from; seq <= to; seq++) {
            ServerFrame ack = pub.publish(channel, "m" + seq);
            assertThat(ack.hasPublished()).as("publish to %s: %s", channel, ack).isTrue();
            assertThat(ack.getPublished().getSeq()).isEqualTo(seq);
            epoch = ack.getPublished().getEpoch();
        }
        return epoch;
    }

    private static void awaitGauge(PushServerExtension server, String name, double value) throws InterruptedException {
        await(() -> gauge(server, name) == value);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", DEADLINE).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static double gauge(PushServerExtension server, String name) {
        return Samples.value(server.server().metrics().scrape(), name);
    }

    private static double gauge(PushServerExtension server, String name, String store) {
        return Samples.value(server.server().metrics().scrape(), name + "{store=\"" + store + "\"}");
    }
}
