package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.ContinuityChecker;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.ChannelHandlerContext;

/**
 * Joins one room and checks every message: end-to-end latency from the send timestamp in the payload
 * ({@link Payloads}), and seq continuity from the {@code last_seq} its {@code joined} answer carried.
 */
public final class Subscriber extends VirtualUser {
    private final String room;
    private ContinuityChecker checker;
    private long baseSeq;
    private volatile long lastSeq;

    public Subscriber(String user, String token, String room, RunStats stats) {
        super(user, token, stats);
        this.room = requireNonNull(room, "room");
    }

    @Override
    protected void onConnected(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(ClientFrame.newBuilder().setId(nextId()).setJoin(JoinRoom.newBuilder().setRoom(room)).build());
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ServerFrame frame) {
        switch (frame.getBodyCase()) {
            case MESSAGE -> onMessage(frame.getMessage());
            case JOINED -> {
                RoomJoined joined = frame.getJoined();
                baseSeq = joined.getLastSeq();
                lastSeq = baseSeq;
                checker = new ContinuityChecker(baseSeq);
                markReady();
            }
            default -> {
            }
        }
    }

    private void onMessage(Message m) {
        long now = System.nanoTime();
        if (checker == null || !m.getChannel().equals(room)) {
            stats.error();
            return;
        }
        stats.delivered(Payloads.sentNanos(m.getPayload()), now);
        if (checker.accept(m.getSeq()) != ContinuityChecker.Verdict.IN_ORDER) {
            stats.seqAnomaly();
        }
        lastSeq = checker.last();
    }

    /** The highest seq seen so far; readable from any thread. */
    public long lastSeq() {
        return lastSeq;
    }

    /** The channel's last seq when this user joined, or -1 if it never joined. */
    public long baseSeq() {
        return checker == null ? -1 : baseSeq;
    }

    /** The checker, after the final seq was expected; call on the event loop. */
    public ContinuityChecker finish(long finalSeq) {
        if (checker != null) {
            checker.expectUpTo(finalSeq);
        }
        return checker;
    }
}
