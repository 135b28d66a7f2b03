package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.LoadUser;
import io.livepush.loadtest.engine.Receiver;
import io.livepush.loadtest.engine.Reception;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.loadtest.wire.RawFraming;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;

/**
 * {@code SUBSCRIBE channel}; once Redis confirms, a raw parser ({@link RawFraming#REDIS}) hands every
 * {@code ["message", channel, payload]} push to the {@link Reception}, with the publisher's sequence number
 * from the payload as its seq (the stream starts at 0).
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
        if (msg instanceof ArrayRedisMessage a
                && a.children().size() == 3
                && RedisCommands.is(a.children().get(0), RedisCommands.SUBSCRIBE)) {
            reception.start(0);
            RawFraming.REDIS.takeOver(ctx.pipeline(), reception::accept);
            markReady();
            return;
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
