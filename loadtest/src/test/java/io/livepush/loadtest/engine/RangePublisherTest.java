package io.livepush.loadtest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.stats.RunStats;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connected;
import io.livepush.proto.v1.Error;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The pipelined publishes, against answers fed in directly. */
class RangePublisherTest {
    private final RunStats stats = new RunStats();
    private final RangePublisher publisher = new RangePublisher("p", "token", "user.", 16, 2, stats);
    private final EmbeddedChannel channel = new EmbeddedChannel(publisher);

    RangePublisherTest() {
        assertThat(((ClientFrame) channel.readOutbound()).hasConnect()).isTrue();
        channel.writeInbound(ServerFrame.newBuilder()
                .setConnected(Connected.getDefaultInstance())
                .build());
        assertThat(publisher.ready()).isCompleted();
    }

    private List<ClientFrame> written() {
        List<ClientFrame> frames = new ArrayList<>();
        for (ClientFrame f; (f = channel.readOutbound()) != null; ) {
            frames.add(f);
        }
        return frames;
    }

    private void answer(ClientFrame publish, ServerFrame.Builder answer) {
        channel.writeInbound(answer.setReplyTo(publish.getId()).build());
    }

    private static ServerFrame.Builder acked() {
        return ServerFrame.newBuilder().setPublished(PublishAck.newBuilder().setSeq(1));
    }

    private static ServerFrame.Builder refused(ErrorCode code) {
        return ServerFrame.newBuilder().setError(Error.newBuilder().setCode(code));
    }

    @Test
    void publishesOncePerChannelWithAtMostMaxInFlightUnanswered() {
        CompletableFuture<RangePublisher.Sweep> sweep = publisher.publish(10, 15);
        channel.runPendingTasks();
        List<ClientFrame> first = written();
        assertThat(first).extracting(f -> f.getPublish().getChannel()).containsExactly("user.10", "user.11");

        answer(first.get(0), acked());
        answer(first.get(1), refused(ErrorCode.LIMIT_EXCEEDED));
        List<ClientFrame> second = written();
        assertThat(second).extracting(f -> f.getPublish().getChannel()).containsExactly("user.12", "user.13");
        assertThat(sweep).isNotDone();

        answer(second.get(0), acked());
        answer(second.get(1), refused(ErrorCode.LIMIT_EXCEEDED));
        ClientFrame last = written().get(0);
        assertThat(last.getPublish().getChannel()).isEqualTo("user.14");
        answer(last, refused(ErrorCode.RATE_LIMITED));

        assertThat(sweep)
                .isCompletedWithValue(new RangePublisher.Sweep(
                        2, Map.of(ErrorCode.LIMIT_EXCEEDED, 2L, ErrorCode.RATE_LIMITED, 1L), 0));
        assertThat(stats.publishedCount()).isEqualTo(5);
        assertThat(stats.ackedCount()).isEqualTo(2);
        assertThat(stats.errors()).isEqualTo(3);
    }

    @Test
    void aClosedConnectionEndsTheSweepWithWhatIsUnanswered() {
        CompletableFuture<RangePublisher.Sweep> sweep = publisher.publish(0, 5);
        channel.runPendingTasks();
        answer(written().get(0), acked());

        channel.close();
        assertThat(sweep).isCompletedWithValue(new RangePublisher.Sweep(1, Map.of(), 4));
        assertThat(stats.errors()).isEqualTo(1); // the close, not asked for
    }

    @Test
    void anEmptyRangeIsDoneAtOnce() {
        CompletableFuture<RangePublisher.Sweep> sweep = publisher.publish(3, 3);
        channel.runPendingTasks();
        assertThat(sweep).isCompletedWithValue(new RangePublisher.Sweep(0, Map.of(), 0));
        assertThat(written()).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
