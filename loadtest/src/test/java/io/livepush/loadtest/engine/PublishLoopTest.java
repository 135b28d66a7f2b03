package io.livepush.loadtest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.stats.RunStats;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PublishLoopTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<Long> written = new ArrayList<>();
    private final RunStats stats = new RunStats();

    private void nextTick() {
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
    }

    @Test
    void closedLoopStaysAtMostBacklogAheadOfTheSlowestSubscriber() {
        AtomicLong slowest = new AtomicLong();
        PublishLoop loop = PublishLoop.unanswered((ch, seq, nanos) -> written.add(seq), stats);
        loop.start(channel, new Pacing.ClosedLoop(5), slowest::get, Duration.ofMinutes(1));

        channel.runPendingTasks();
        assertThat(written).containsExactly(1L, 2L, 3L, 4L, 5L);
        nextTick();
        assertThat(written).hasSize(5);

        slowest.set(3);
        nextTick();
        assertThat(written).hasSize(8).endsWith(8L);
        assertThat(loop.sent()).isEqualTo(8);
        assertThat(stats.publishedCount()).isEqualTo(8);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void answeredPublishesStopAtMaxInFlightUntilAnswered() {
        PublishLoop loop = PublishLoop.answered((ch, seq, nanos) -> written.add(seq), 3, stats);
        loop.start(channel, new Pacing.ClosedLoop(1_000), () -> 0, Duration.ofMinutes(1));

        channel.runPendingTasks();
        assertThat(written).hasSize(3);
        loop.answered();
        loop.answered();
        nextTick();
        assertThat(written).hasSize(5);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void stopsWhenTheConnectionClosesAndCompletes() throws Exception {
        PublishLoop loop = PublishLoop.unanswered((ch, seq, nanos) -> written.add(seq), stats);
        var done = loop.start(channel, new Pacing.FixedRate(1_000_000), () -> 0, Duration.ofMinutes(1));
        channel.runPendingTasks();

        channel.close();
        nextTick();
        assertThat(done).isCompleted();
        int before = written.size();
        nextTick();
        assertThat(written).hasSize(before);
    }
}
