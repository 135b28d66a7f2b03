package io.livepush.server.store;

/**
 * The {@code messages.dat} key of a channel's message: channelId in the upper 32 bits, the low 32 bits
 * of the seq below. Unique because a channel keeps fewer than 2^31 messages (the count retention is
 * an int), so its kept seqs never wrap onto each other.
 */
final class MessageKey {
    private MessageKey() {}

    static long of(long channelId, long seq) {
        return channelId << 32 | (seq & 0xFFFF_FFFFL);
    }
}
