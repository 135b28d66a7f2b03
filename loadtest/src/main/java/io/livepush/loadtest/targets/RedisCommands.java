package io.livepush.loadtest.targets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** RESP commands as arrays of bulk strings, and the look at a Pub/Sub push's first element. */
final class RedisCommands {
    static final ByteBuf SUBSCRIBE = constant("subscribe");

    private RedisCommands() {}

    /** {@code SUBSCRIBE channel}; the caller writes (and so releases) it. */
    static ArrayRedisMessage subscribe(ByteBufAllocator alloc, String channel) {
        return new ArrayRedisMessage(List.of(bulk(alloc, "SUBSCRIBE"), bulk(alloc, channel)));
    }

    /** {@code PUBLISH channel payload}, taking ownership of {@code payload}. */
    static ArrayRedisMessage publish(ByteBufAllocator alloc, String channel, ByteBuf payload) {
        return new ArrayRedisMessage(
                List.of(bulk(alloc, "PUBLISH"), bulk(alloc, channel), new FullBulkStringRedisMessage(payload)));
    }

    /** Whether {@code m} is a bulk string holding exactly {@code bytes}. */
    static boolean is(RedisMessage m, ByteBuf bytes) {
        return m instanceof FullBulkStringRedisMessage b && !b.isNull() && ByteBufUtil.equals(b.content(), bytes);
    }

    private static FullBulkStringRedisMessage bulk(ByteBufAllocator alloc, String s) {
        return new FullBulkStringRedisMessage(ByteBufUtil.writeUtf8(alloc, s));
    }

    private static ByteBuf constant(String s) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII)))
                .asReadOnly();
    }
}
