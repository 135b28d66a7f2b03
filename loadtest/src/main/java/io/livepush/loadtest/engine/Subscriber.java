package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.RunStats;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.ChannelHandlerContext;

/**
 * Joins one room of our server and hands every message to its {@link Reception}: latency from the send
 * timestamp in the payload, continuity of {@code Message.seq} from the {@code last_seq} of its
 * {@code joined} answer.
 */
public final class Subscriber extends VirtualUser implements Receiver {
    private final String room;
    private final Reception reception;

    public Subscriber(String user, String token, String room, RunStats stats) {
        super(user, token, stats);
        this.room = requireNonNull(room, "room");
        this.reception = new Reception(stats);
    }

    @Override
    protected void onConnected(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(ClientFrame.newBuilder()
                .setId(nextId())
                .setJoin(JoinRoom.newBuilder().setRoom(room))
                .build());
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ServerFrame frame) {
        switch (frame.getBodyCase()) {
            case MESSAGE -> onMessage(frame.getMessage());
            case JOINED -> {
                reception.start(frame.getJoined().getLastSeq());
                markReady();
            }
            default -> {}
        }
    }

    private void onMessage(Message m) {
        long now = System.nanoTime();
        if (!m.getChannel().equals(room)) {
            stats.error();
            return;
        }
        reception.accept(m.getSeq(), Payloads.sentNanos(m.getPayload()), now);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reception.close();
        super.channelInactive(ctx);
    }

    @Override
    public Reception reception() {
        return reception;
    }
}
