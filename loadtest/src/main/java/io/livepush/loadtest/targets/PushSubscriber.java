package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.Receiver;
import io.livepush.loadtest.engine.Reception;
import io.livepush.loadtest.engine.VirtualUser;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.loadtest.wire.RawFraming;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.ChannelHandlerContext;

/**
 * Joins one room of our server; from its {@code joined} answer on, a raw parser ({@link RawFraming}) hands every
 * message to the {@link Reception}: latency from the send timestamp in the payload, continuity of
 * {@code Message.seq} from the answer's {@code last_seq}. The other frames (pongs, errors, go-aways) still
 * reach this user, decoded.
 */
final class PushSubscriber extends VirtualUser implements Receiver {
    private final String room;
    private final RawFraming framing;
    private final Reception reception;

    PushSubscriber(String user, String token, String room, RawFraming framing, RunStats stats) {
        super(user, token, stats);
        this.room = requireNonNull(room, "room");
        this.framing = requireNonNull(framing, "framing");
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
        if (frame.getBodyCase() == ServerFrame.BodyCase.JOINED) {
            reception.start(frame.getJoined().getLastSeq());
            framing.takeOver(ctx.pipeline(), reception::accept);
            markReady();
        }
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
