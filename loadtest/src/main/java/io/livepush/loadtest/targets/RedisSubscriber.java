package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.LoadUser;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.engine.Receiver;
import io.livepush.loadtest.engine.Reception;
import io.livepush.loadtest.stats.RunStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import java.util.List;

/**
 * {@code SUBSCRIBE channel}, then every {@code ["message", channel, payload]} push goes to the
 * {@link Reception}, with the publisher's sequence number from the payload as its seq (the stream
 * starts at 0).
 */
final class RedisSubscriber extends LoadUser<RedisMessage> implements Receiver {
    private final String channelName;
    private final Reception reception;

    RedisSubscriber(String user, String channelName, RunStats stats) {
        super(RedisMessage.class, user, stats);
        this.channelName = requireNonNull(channelName, "channelName");
        this.reception = new Reception(stats);
    }

    @Override
    protected void onActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(RedisCommands.subscribe(ctx.alloc(), channelName));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RedisMessage msg) {
        long now = System.nanoTime();
        if (msg instanceof ArrayRedisMessage a && a.children().size() == 3) {
            List<RedisMessage> parts = a.children();
            if (RedisCommands.is(parts.get(0), RedisCommands.MESSAGE)
                    && parts.get(2) instanceof FullBulkStringRedisMessage payload) {
                reception.accept(Payloads.seq(payload.content()), Payloads.sentNanos(payload.content()), now);
                return;
            }
            if (RedisCommands.is(parts.get(0), RedisCommands.SUBSCRIBE)) {
                reception.start(0);
                markReady();
                return;
            }
        }
        if (msg instanceof ErrorRedisMessage e) {
            refuse(ctx, "redis error: " + e.content());
            return;
        }
        refuse(ctx, "unexpected reply: " + msg);
    }

    @Override
    protected void onInactive() {
        reception.close();
    }

    @Override
    public Reception reception() {
        return reception;
    }
}
