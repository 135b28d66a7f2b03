package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.metrics.PushMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replay and live delivery meeting on one connection's loop (an {@link EmbeddedChannel}), with a fake
 * channel home: pages are read up to the channel's last seq at the time, live frames go through the
 * real {@link DeliveryTask}, and every frame written carries its seq.
 */
class ReplayThenLiveTest {
    private static final int PAGE = 2;

    private final PushMetrics metrics = new PushMetrics();
    private EmbeddedChannel ch;
    private long lastSeq;
    private int pageReads;
    private ReplayThenLive replay;

    @BeforeEach
    void setUp() {
        ch = new EmbeddedChannel();
        ch.pipeline().addLast(new Outbox(Outbox.Framing.DELIMITED));
        // The fake home: answers on the connection's loop, like Membership does, reading up to lastSeq now.
        replay = new ReplayThenLive(
                (sub, fromSeq, reply) -> {
                    pageReads++;
                    reply.complete(page(fromSeq));
                },
                metrics);
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
        metrics.close();
    }

    @Test
    void aResumeGetsEveryMissedSeqOnceThenLiveWhilePublishesRace() {
        lastSeq = 10;
        Subscription sub = subscription(true);
        // joined answered at lastSeq 10 for since = 3: replayed 7, first page 4..5
        Attachment a = attachment(true, page(4));

        replay.begin(sub, a);
        publish(sub, 11); // published while the replay runs: skipped live, the replay covers it
        ch.runPendingTasks();
        publish(sub, 12);
        ch.runPendingTasks();
        publish(sub, 12); // a late duplicate of a seq the replay already wrote
        publish(sub, 13);
        ch.runPendingTasks();

        assertThat(written()).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
        assertThat(pageReads)
                .as("one read per page after the first: 6-7, 8-9, 10-11")
                .isEqualTo(3);
    }

    @Test
    void withoutRecoveryLiveStartsAfterTheLastSeqOfTheAnswer() {
        lastSeq = 10;
        Subscription sub = subscription(true);
        replay.begin(sub, attachment(false, ReplayPage.EMPTY));
        publish(sub, 10); // queued before the answer on a racing loop: already counted in last_seq
        publish(sub, 11);

        assertThat(written()).containsExactly(11L);
        assertThat(pageReads).isZero();
    }

    @Test
    void aNewMemberWithoutSinceGetsLiveAtOnce() {
        Subscription sub = subscription(false);
        publish(sub, 1);
        publish(sub, 2);
        assertThat(written()).containsExactly(1L, 2L);
    }

    @Test
    void nothingIsWrittenOnceStoppedAndPagesInFlightAreReleased() {
        lastSeq = 10;
        Subscription sub = subscription(true);
        replay.begin(sub, attachment(true, page(4))); // asks for 6..7, answered as a pending loop task
        ReplayThenLive.stop(sub);
        ch.runPendingTasks(); // the page arrives after the stop: released, not written
        publish(sub, 11);

        assertThat(written()).containsExactly(4L, 5L);
    }

    private Subscription subscription(boolean resuming) {
        return new Subscription(Outbox.of(ch), "room", true, resuming);
    }

    private Attachment attachment(boolean recovered, ReplayPage first) {
        return new Attachment("e", lastSeq, 1, 0, recovered, recovered ? 7 : 0, first, List.of());
    }

    /** Fan-out of one live message, as the channel's home hands it to this loop. */
    private void publish(Subscription sub, long seq) {
        lastSeq = Math.max(lastSeq, seq);
        new DeliveryTask(
                        new Subscription[] {sub},
                        new ByteBuf[] {frame(seq)},
                        new long[] {seq},
                        System.nanoTime(),
                        Long.MAX_VALUE,
                        metrics,
                        new LoopFlusher(ch.eventLoop()))
                .run();
        ch.runPendingTasks(); // the loop's flush pass
    }

    private ReplayPage page(long fromSeq) {
        List<ReplayFrame> frames = new ArrayList<>();
        for (long seq = fromSeq; seq <= lastSeq && frames.size() < PAGE; seq++) {
            frames.add(new ReplayFrame(seq, frame(seq)));
        }
        return new ReplayPage(
                frames, !frames.isEmpty() && frames.get(frames.size() - 1).seq() < lastSeq);
    }

    private static ByteBuf frame(long seq) {
        return Unpooled.buffer(Long.BYTES).writeLong(seq);
    }

    private List<Long> written() {
        List<Long> seqs = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            while (b.isReadable()) { // a batch holds several frames: each is its seq here
                seqs.add(b.readLong());
            }
            b.release();
        }
        return seqs;
    }
}
