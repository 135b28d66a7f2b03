package io.livepush.server.channel;

import io.netty.buffer.ByteBuf;

/** One replayed message, encoded for the wire; whoever holds it writes or releases {@code frame}. */
public record ReplayFrame(long seq, ByteBuf frame) {}
