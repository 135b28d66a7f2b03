package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.LoadUser;
import io.livepush.loadtest.engine.Pacing;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.engine.PublishLoop;
import io.livepush.loadtest.engine.Sender;
import io.livepush.loadtest.stats.RunStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * {@code PUBLISH channel payload}, pipelined; each is answered with the number of receivers (counted as
 * an ack) or an error (counted as a run error), so at most {@code maxInFlight} are unanswered at a time.
 */
final class RedisPublisher extends LoadUser<RedisMessage> implements Sender {
    private final String channelName;
    private final int payloadBytes;
    private final PublishLoop loop;

    RedisPublisher(String user, String channelName, int payloadBytes, int maxInFlight, RunStats stats) {
        super(RedisMessage.class, user, stats);
        this.channelName = requireNonNull(channelName, "channelName");
        this.payloadBytes = Payloads.requireSequenced(payloadBytes);
        this.loop = PublishLoop.answered(this::write, maxInFlight, stats);
    }

    @Override
    protected void onActive(ChannelHandlerContext ctx) {
        markReady();
    }

    @Override
    public CompletableFuture<Void> start(Pacing pacing, LongSupplier slowestProgress, Duration duration) {
        return loop.start(channel(), pacing, slowestProgress, duration);
    }

    private void write(Channel ch, long seq, long sentNanos) {
        ch.write(
                RedisCommands.publish(
                        ch.alloc(), channelName, Payloads.sequenced(ch.alloc(), sentNanos, seq, payloadBytes)),
                ch.voidPromise());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RedisMessage msg) {
        if (msg instanceof IntegerRedisMessage) {
            stats.acked();
        } else {
            stats.error();
        }
        loop.answered();
    }

    /** The publisher numbers the messages itself: the last one it wrote. */
    @Override
    public long finalSeq() {
        return loop.sent();
    }
}
