package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.RunStats;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Publishes timed messages to one channel of our server ({@link PublishLoop} paces them); every
 * {@code Publish} is answered, so at most {@code maxInFlight} are unanswered at a time.
 */
public final class Publisher extends VirtualUser implements Sender {
    private final String channelName;
    private final int payloadBytes;
    private final PublishLoop loop;
    private volatile long lastAckedSeq;

    public Publisher(String user, String token, String channelName, int payloadBytes, int maxInFlight, RunStats stats) {
        super(user, token, stats);
        this.channelName = requireNonNull(channelName, "channelName");
        this.payloadBytes = Payloads.requireSequenced(payloadBytes);
        this.loop = PublishLoop.answered(this::write, maxInFlight, stats);
    }

    @Override
    protected void onConnected(ChannelHandlerContext ctx) {
        markReady();
    }

    @Override
    public CompletableFuture<Void> start(Pacing pacing, LongSupplier slowestProgress, Duration duration) {
        return loop.start(channel(), pacing, slowestProgress, duration);
    }

    private void write(Channel ch, long seq, long sentNanos) {
        ch.write(
                ClientFrame.newBuilder()
                        .setId(nextId())
                        .setPublish(Publish.newBuilder()
                                .setChannel(channelName)
                                .setKind("lt")
                                .setPayload(Payloads.sequenced(sentNanos, seq, payloadBytes)))
                        .build(),
                ch.voidPromise());
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ServerFrame frame) {
        if (frame.getBodyCase() == ServerFrame.BodyCase.PUBLISHED) {
            stats.acked();
            lastAckedSeq = Math.max(lastAckedSeq, frame.getPublished().getSeq());
            loop.answered();
        }
    }

    @Override
    protected void onError(ServerFrame frame) {
        if (frame.getReplyTo() != 0) {
            loop.answered();
        }
    }

    /** The highest seq the server acknowledged; readable from any thread. */
    public long lastAckedSeq() {
        return lastAckedSeq;
    }

    /** Our server numbers the channel's messages: the last one it acknowledged. */
    @Override
    public long finalSeq() {
        return lastAckedSeq;
    }
}
