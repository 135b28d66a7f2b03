package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Receiver;
import io.livepush.loadtest.engine.Sender;
import io.livepush.loadtest.stats.RunStats;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;

/** Redis Pub/Sub (RESP2): the room name is the channel. */
final class RedisTarget implements Target {
    private final String channel;

    RedisTarget(String channel) {
        this.channel = requireNonNull(channel, "channel");
    }

    @Override
    public TargetKind kind() {
        return TargetKind.REDIS;
    }

    @Override
    public Receiver subscriber(String user, RunStats stats) {
        return new RedisSubscriber(user, channel, stats);
    }

    @Override
    public Sender publisher(String user, int payloadBytes, int maxInFlight, RunStats stats) {
        return new RedisPublisher(user, channel, payloadBytes, maxInFlight, stats);
    }

    /** Whole replies reach the user: bulk strings and arrays are aggregated. */
    @Override
    public ChannelFuture connect(LoadEngine engine, int node, ChannelHandler user) {
        return engine.open(
                node,
                p -> p.addLast(new RedisDecoder())
                        .addLast(new RedisBulkStringAggregator())
                        .addLast(new RedisArrayAggregator())
                        .addLast(new RedisEncoder())
                        .addLast(user));
    }
}
