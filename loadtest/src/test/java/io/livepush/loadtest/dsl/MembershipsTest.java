package io.livepush.loadtest.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.engine.Tokens;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.loadtest.wire.RawMessage;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.Subscribed;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The checks on what a user receives, fed answers and messages directly. */
class MembershipsTest {
    private final LoadEngine engine = new LoadEngine(new InetSocketAddress("127.0.0.1", 1), 1);
    private final RunStats stats = new RunStats();
    private final Harness harness =
            new Harness(engine, new Tokens("memberships-test-secret-0123456789abcdef", Duration.ofMinutes(1)), stats);
    private final Memberships m = new Memberships(harness);

    @AfterEach
    void close() {
        engine.close();
    }

    private static RoomJoined joined(String room, long lastSeq) {
        return RoomJoined.newBuilder()
                .setRoom(room)
                .setEpoch("e1")
                .setLastSeq(lastSeq)
                .build();
    }

    private static Message message(String channel, long seq) {
        return Message.newBuilder()
                .setChannel(channel)
                .setEpoch("e1")
                .setSeq(seq)
                .setPayload(Payloads.timed(System.nanoTime(), 16))
                .build();
    }

    /** Hands {@code message} to the memberships as it comes over the wire. */
    private void receive(Message message) {
        byte[] bytes = message.toByteArray();
        m.message(new RawMessage().read(Unpooled.wrappedBuffer(bytes), 0, bytes.length), System.nanoTime());
    }

    @Test
    void aMessageOfTheOldRoomAfterTheSwitchAnswerIsAStray() {
        m.joined(joined("a", 5), null);
        receive(message("a", 6));
        m.joined(joined("b", 10).toBuilder().setPrevious("a").build(), null);
        receive(message("a", 7));
        receive(message("b", 11));

        assertThat(harness.strays()).isEqualTo(1);
        assertThat(m.room()).isEqualTo("b");
        assertThat(m.finish(true, c -> c.equals("b") ? 11 : 7)).isEqualTo(new Totals(0, 0, 0, 2));
    }

    @Test
    void aRecoveredResumeContinuesTheSameCheckAndTakesNoLatencyFromReplays() {
        m.joined(joined("a", 3), null);
        receive(message("a", 4));
        var since = m.position("a");
        assertThat(since.getSeq()).isEqualTo(4);
        m.joined(joined("a", 8).toBuilder().setRecovered(true).setReplayed(4).build(), since);
        for (long seq = 5; seq <= 9; seq++) {
            receive(message("a", seq));
        }

        assertThat(harness.notRecovered()).isZero();
        assertThat(stats.deliveries()).isEqualTo(6);
        assertThat(stats.latencyRecorder().getIntervalHistogram().getTotalCount())
                .isEqualTo(2); // 4 and 9: live
        assertThat(m.finish(true, c -> 9)).isEqualTo(new Totals(0, 0, 0, 6));
    }

    @Test
    void anUnrecoveredResumeIsCountedAndStartsAFreshCheck() {
        m.joined(joined("a", 3), null);
        m.joined(joined("a", 50), m.position("a"));
        receive(message("a", 51));

        assertThat(harness.notRecovered()).isEqualTo(1);
        assertThat(stats.seqAnomalies()).isZero();
        assertThat(m.finish(true, c -> 51)).isEqualTo(new Totals(0, 0, 0, 1));
    }

    @Test
    void holesInsideAndAtTheEndAreCountedOnlyForUsersHeldToTheEnd() {
        m.joined(joined("a", 0), null);
        receive(message("a", 1));
        receive(message("a", 3));

        assertThat(stats.seqAnomalies()).isEqualTo(1);
        assertThat(m.finish(true, c -> 4)).isEqualTo(new Totals(2, 0, 0, 4));
    }

    @Test
    void aUserThatLeftOwesNoTail() {
        m.joined(joined("a", 0), null);
        receive(message("a", 1));
        m.left("a");

        assertThat(m.room()).isNull();
        assertThat(m.caughtUp()).isTrue();
        assertThat(m.finish(true, c -> 100)).isEqualTo(new Totals(0, 0, 0, 1));
    }

    @Test
    void awaitSeqGoesOnWhenTheSeqArrives() {
        int[] ran = {0};
        m.joined(joined("a", 0), null);
        m.awaitSeq("a", 2, () -> ran[0]++);
        receive(message("a", 1));
        assertThat(ran[0]).isZero();
        receive(message("a", 2));
        assertThat(ran[0]).isEqualTo(1);
    }

    @Test
    void awaitMessagesCountsFromTheSubscribedAnswersLastSeq() {
        int[] ran = {0};
        m.subscribed(Subscribed.newBuilder()
                .setChannel("user.7")
                .setEpoch("e1")
                .setLastSeq(4)
                .build());
        m.awaitMessages("user.7", 1, () -> ran[0]++);
        assertThat(ran[0]).isZero();
        receive(message("user.7", 5));

        assertThat(ran[0]).isEqualTo(1);
        assertThat(harness.strays()).isZero();
        assertThat(m.finish(false, c -> 0)).isEqualTo(new Totals(0, 0, 0, 1));
    }

    @Test
    void aMessageOfAnotherEpochIsCountedAndLeftOutOfTheSeqCheck() {
        m.subscribed(Subscribed.newBuilder()
                .setChannel("user.7")
                .setEpoch("e1")
                .setLastSeq(4)
                .build());
        receive(message("user.7", 1).toBuilder().setEpoch("e2").build());
        receive(message("user.7", 5));

        assertThat(harness.wrongEpochs()).isEqualTo(1);
        assertThat(stats.seqAnomalies()).isEqualTo(1);
        assertThat(m.finish(false, c -> 0)).isEqualTo(new Totals(0, 0, 0, 1));
    }
}
