package io.livepush.server.it;

import static io.livepush.server.it.Seqs.position;
import static io.livepush.server.it.Seqs.range;
import static io.livepush.server.it.Seqs.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PROTOCOL.md semantics 1 and 2: resume with {@code since}, replay then live, no holes, no duplicates. */
class ResumeIT {
    /** Small pages, so a replay spans many pages and races with live messages. */
    @RegisterExtension
    static final PushServerExtension server =
            new PushServerExtension(b -> b.replayPageSize(16).retentionMaxMessages(100_000));

    /** A replay page (64 messages of 1 KiB) outgrows the write buffer, so a long replay stalls and resumes often. */
    @RegisterExtension
    static final PushServerExtension pages64 = new PushServerExtension(b -> b.replayPageSize(64)
            .retentionMaxMessages(10_000)
            .writeBufferLowBytes(16 * 1024)
            .writeBufferHighBytes(32 * 1024));

    @RegisterExtension
    static final PushServerExtension shortRetention =
            new PushServerExtension(b -> b.replayPageSize(16).retentionMaxMessages(20));

    @Test
    void joinWithSinceReplaysExactlyTheMissedMessagesThenLive() throws Exception {
        try (TestClient pub = server.connect("pub1")) {
            String epoch = publishAll(pub, "resume.join", 30);
            try (TestClient c = server.connect("c1")) {
                RoomJoined joined = c.join("resume.join", position(epoch, 12)).getJoined();
                assertThat(joined.getRecovered()).isTrue();
                assertThat(joined.getReplayed()).isEqualTo(18);
                assertThat(joined.getLastSeq()).isEqualTo(30);
                assertThat(joined.getEpoch()).isEqualTo(epoch);

                pub.publish("resume.join", "live-31");
                List<Message> got = c.messages("resume.join", 19);
                assertThat(seqs(got)).containsExactlyElementsOf(range(13, 31));
                assertThat(got.get(0).getPayload().toStringUtf8()).isEqualTo("m13");
                assertThat(got.get(18).getPayload().toStringUtf8()).isEqualTo("live-31");
                c.assertNoMoreMessages();
            }
        }
    }

    @Test
    void subscribeWithSinceReplaysExactlyTheMissedMessagesThenLive() throws Exception {
        try (TestClient pub = server.connect("pub2")) {
            String epoch = publishAll(pub, "resume.sub", 40);
            try (TestClient c = server.connect("c2")) {
                Subscribed sub = c.subscribe("resume.sub", position(epoch, 5)).getSubscribed();
                assertThat(sub.getRecovered()).isTrue();
                assertThat(sub.getReplayed()).isEqualTo(35);
                assertThat(sub.getLastSeq()).isEqualTo(40);

                pub.publish("resume.sub", "live-41");
                assertThat(seqs(c.messages("resume.sub", 36))).containsExactlyElementsOf(range(6, 41));
                c.assertNoMoreMessages();
            }
        }
    }

    @Test
    void resumeFromTheLastSeqReplaysNothingAndGoesLive() throws Exception {
        try (TestClient pub = server.connect("pub3")) {
            String epoch = publishAll(pub, "resume.current", 10);
            try (TestClient c = server.connect("c3")) {
                RoomJoined joined =
                        c.join("resume.current", position(epoch, 10)).getJoined();
                assertThat(joined.getRecovered()).isTrue();
                assertThat(joined.getReplayed()).isZero();
                pub.publish("resume.current", "live");
                assertThat(seqs(c.messages("resume.current", 1))).containsExactly(11L);
            }
        }
    }

    @Test
    void wrongEpochIsNotRecoveredAndOnlyLiveMessagesFollow() throws Exception {
        try (TestClient pub = server.connect("pub4")) {
            String epoch = publishAll(pub, "resume.epoch", 10);
            try (TestClient c = server.connect("c4")) {
                RoomJoined joined =
                        c.join("resume.epoch", position(epoch + "-stale", 3)).getJoined();
                assertThat(joined.getRecovered()).isFalse();
                assertThat(joined.getReplayed()).isZero();
                assertThat(joined.getEpoch()).isEqualTo(epoch);
                assertThat(joined.getLastSeq()).isEqualTo(10);

                pub.publish("resume.epoch", "live");
                List<Message> got = c.messages("resume.epoch", 1);
                assertThat(got.get(0).getSeq())
                        .as("nothing replayed: the first message is live")
                        .isEqualTo(11);
                c.assertNoMoreMessages();
            }
        }
    }

    @Test
    void sinceOlderThanTheRetentionWindowIsNotRecovered() throws Exception {
        try (TestClient pub = shortRetention.connect("pub5")) {
            String epoch = publishAll(pub, "resume.trimmed", 30); // retention 20: seqs 11..30 are kept
            try (TestClient c = shortRetention.connect("c5")) {
                Subscribed lost =
                        c.subscribe("resume.trimmed", position(epoch, 9)).getSubscribed();
                assertThat(lost.getRecovered()).as("seq 10 was trimmed").isFalse();
                assertThat(lost.getReplayed()).isZero();
                pub.publish("resume.trimmed", "live");
                assertThat(seqs(c.messages("resume.trimmed", 1))).containsExactly(31L);
                c.assertNoMoreMessages();
            }
            try (TestClient c = shortRetention.connect("c5b")) {
                Subscribed kept =
                        c.subscribe("resume.trimmed", position(epoch, 11)).getSubscribed();
                assertThat(kept.getRecovered()).as("seq 12 onwards is kept").isTrue();
                assertThat(kept.getReplayed()).isEqualTo(20);
                assertThat(seqs(c.messages("resume.trimmed", 20))).containsExactlyElementsOf(range(12, 31));
            }
        }
    }

    @Test
    void longBacklogIsReplayedCompletelyInOrderThroughASmallWriteBuffer() throws Exception {
        int n = 5000;
        try (TestClient pub = pages64.connect("pub6")) {
            String epoch = publishFast(pub, "resume.long", n, 1024);
            try (TestClient c = pages64.connect("c6")) {
                RoomJoined joined = c.join("resume.long", position(epoch, 0)).getJoined();
                assertThat(joined.getRecovered()).isTrue();
                assertThat(joined.getReplayed()).isEqualTo(n);
                List<Message> got = c.messages("resume.long", n);
                assertThat(seqs(got)).containsExactlyElementsOf(range(1, n));
                assertThat(got.get(n - 1).getPayload().toStringUtf8()).startsWith("m" + n + " ");
                c.assertNoMoreMessages();
            }
        }
    }

    /**
     * A consumer drops and resumes over and over while a publisher never pauses; small replay pages
     * make every resume a race between the replay and the live stream.
     */
    @Test
    void resumeWhilePublishingFlatOutLosesAndRepeatsNothing() throws Exception {
        String room = "resume.race";
        int maxPublishes = 80_000; // well inside the retention, so every resume can be recovered
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> publisherFailure = new AtomicReference<>();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch publisherDone = new CountDownLatch(1);
        List<Long> seen = new ArrayList<>();
        try (TestClient pub = server.connect("racer-pub")) {
            String epoch = pub.publish(room, "first").getPublished().getEpoch();
            Thread publisher = new Thread(
                    () -> {
                        try {
                            while (running.get() && sent.get() < maxPublishes) {
                                // Fire and forget, but at most a window ahead of the server, so "flat out"
                                // means as fast as the server stores rather than as fast as a socket buffers.
                                int id = 0;
                                for (int i = 0; i < 128; i++) {
                                    id = pub.send(ClientFrame.newBuilder()
                                            .setPublish(Publish.newBuilder()
                                                    .setChannel(room)
                                                    .setKind("tick")
                                                    .setPayload(ByteString.copyFrom(
                                                            "t" + sent.incrementAndGet(), StandardCharsets.UTF_8))));
                                }
                                int lastOfWindow = id;
                                pub.skipUntil(f -> f.getReplyTo() == lastOfWindow);
                            }
                        } catch (Throwable t) {
                            publisherFailure.set(t);
                        } finally {
                            publisherDone.countDown();
                        }
                    },
                    "flat-out-publisher");
            publisher.start();

            Position since = position(epoch, 0);
            TestClient consumer = null;
            try {
                for (int cycle = 0; cycle < 8; cycle++) {
                    consumer = server.connect("racer");
                    RoomJoined joined = consumer.join(room, since).getJoined();
                    assertThat(publisherDone.getCount())
                            .as("the publisher still runs at resume %d", cycle)
                            .isOne();
                    assertThat(joined.getRecovered())
                            .as("cycle %d resumes after %s", cycle, since.getSeq())
                            .isTrue();
                    assertThat(joined.getReplayed()).isEqualTo(joined.getLastSeq() - since.getSeq());
                    // Some cycles leave in the middle of the replay, others well into the live stream.
                    int toRead = 37 + cycle * 151;
                    for (Message m : consumer.messages(room, toRead)) {
                        seen.add(m.getSeq());
                    }
                    since = position(epoch, seen.get(seen.size() - 1));
                    if (cycle < 7) {
                        consumer.close();
                        consumer = null;
                    }
                }
            } finally {
                running.set(false);
                assertThat(publisherDone.await(10, TimeUnit.SECONDS))
                        .as("publisher stopped")
                        .isTrue();
            }
            try {
                assertThat(publisherFailure.get()).isNull();
                long last = pub.publish(room, "last").getPublished().getSeq();
                assertThat(last)
                        .as("published while the consumer came and went")
                        .isGreaterThan(seen.size());
                while (seen.get(seen.size() - 1) < last) {
                    seen.add(consumer.messages(room, 1).get(0).getSeq());
                }
                assertThat(seen)
                        .as("every seq once, in order, across %d resumes", 7)
                        .containsExactlyElementsOf(range(1, last));
                consumer.assertNoMoreMessages();
            } finally {
                consumer.close();
            }
        }
    }

    /** Publishes {@code n} messages "m1".."mN", each acknowledged, and returns the channel's epoch. */
    private static String publishAll(TestClient pub, String channel, int n) {
        String epoch = null;
        for (int i = 1; i <= n; i++) {
            ServerFrame ack = pub.publish(channel, "m" + i);
            assertThat(ack.getPublished().getSeq()).as("%s", ack).isEqualTo(i);
            epoch = ack.getPublished().getEpoch();
        }
        return epoch;
    }

    /**
     * Like {@link #publishAll} but pipelined, each payload "mI " padded to {@code payloadBytes}: sends
     * all, then waits for the last acknowledgement.
     */
    private static String publishFast(TestClient pub, String channel, int n, int payloadBytes) {
        int lastId = 0;
        for (int i = 1; i <= n; i++) {
            String text = "m" + i + " ";
            lastId = pub.send(ClientFrame.newBuilder()
                    .setPublish(Publish.newBuilder()
                            .setChannel(channel)
                            .setKind("chat")
                            .setPayload(ByteString.copyFrom(
                                    text + "x".repeat(payloadBytes - text.length()), StandardCharsets.UTF_8))));
        }
        int id = lastId;
        ServerFrame ack = pub.await(f -> f.getReplyTo() == id);
        assertThat(ack.getPublished().getSeq()).as("%s", ack).isEqualTo(n);
        return ack.getPublished().getEpoch();
    }
}
