package io.livepush.loadtest.dsl;

import io.livepush.loadtest.engine.VirtualUser;
import io.livepush.loadtest.wire.RawFraming;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/** One connection of a {@link Session}: hands its events to the session, which outlives it across reconnects. */
final class Connection extends VirtualUser {
    private final Session session;

    Connection(Session session, String token) {
        super(session.userId(), token, session.harness().stats());
        this.session = session;
    }

    /** Sends a request with a fresh id; returns the id its answer will carry. */
    int send(ClientFrame.Builder frame) {
        int id = nextId();
        channel().writeAndFlush(frame.setId(id).build(), channel().voidPromise());
        return id;
    }

    Channel channelNow() {
        return channel();
    }

    @Override
    protected void onConnected(ChannelHandlerContext ctx) {
        // Messages are checked where they lie, as a fan-out subscriber's are: a storm brings 10,000 users 100 each.
        RawFraming.takeOverPushTcp(ctx.pipeline(), session::message);
        markReady();
        session.connected(this);
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ServerFrame frame) {
        session.frame(frame);
    }

    @Override
    protected void onError(ServerFrame frame) {
        session.errorAnswer(frame);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        super.channelInactive(ctx);
        session.closed(this);
    }
}
