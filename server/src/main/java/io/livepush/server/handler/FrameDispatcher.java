package io.livepush.server.handler;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Pong;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.session.ConnectionLifecycle;
import io.livepush.server.session.Replies;
import io.livepush.server.session.RequestGate;
import io.livepush.server.session.Session;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Routes each {@link ClientFrame} to the handler of its operation once the connection's
 * {@link RequestGate} lets it through, tells the {@link ConnectionLifecycle} of the connection's
 * events, and answers the exceptions that reach the end of the pipeline ({@link ConnectionErrors}).
 * Until a connection has sent a successful {@code Connect}, anything else gets a fatal
 * {@code NOT_CONNECTED}. After a fatal error nothing more runs, not even the frames that arrived in the
 * same read.
 */
@Sharable
public final class FrameDispatcher extends ChannelInboundHandlerAdapter implements RequestGate.Requests {
    private final ConnectHandler connect;
    private final RefreshHandler refresh;
    private final RoomHandler rooms;
    private final SubscriptionHandler subscriptions;
    private final PublishHandler publish;
    private final HistoryHandler history;
    private final AppletHandler applets;
    private final DataSyncHandler dataSync;
    private final BackgroundHandler background;
    private final Replies replies;
    private final RequestGate gate;
    private final ConnectionErrors errors;
    private final ConnectionLifecycle lifecycle;

    FrameDispatcher(
            ConnectHandler connect,
            RefreshHandler refresh,
            RoomHandler rooms,
            SubscriptionHandler subscriptions,
            PublishHandler publish,
            HistoryHandler history,
            AppletHandler applets,
            DataSyncHandler dataSync,
            BackgroundHandler background,
            Replies replies,
            RequestGate gate,
            ConnectionErrors errors,
            ConnectionLifecycle lifecycle) {
        this.connect = connect;
        this.refresh = refresh;
        this.rooms = rooms;
        this.subscriptions = subscriptions;
        this.publish = publish;
        this.history = history;
        this.applets = applets;
        this.dataSync = dataSync;
        this.background = background;
        this.replies = replies;
        this.gate = gate;
        this.errors = errors;
        this.lifecycle = lifecycle;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lifecycle.opened(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ClientFrame) {
            gate.offer(ctx, msg, this);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        lifecycle.writabilityChanged(ctx.channel());
        gate.writabilityChanged(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        lifecycle.closed(ctx.channel());
        gate.closed(ctx.channel());
        ctx.fireChannelInactive();
    }

    /**
     * Last in the pipeline, the dispatcher also answers the exceptions that reach it: a handler of its own
     * would cost every connection a pipeline slot (64 B).
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors.caught(ctx, cause);
    }

    /**
     * Runs a request the gate let through, now or later: later is outside any pipeline event, so what it
     * throws is answered here as Netty would answer a handler's exception.
     */
    @Override
    public void start(ChannelHandlerContext ctx, Object request) {
        try {
            route(ctx, (ClientFrame) request);
        } catch (RuntimeException e) {
            errors.caught(ctx, e);
        }
    }

    private void route(ChannelHandlerContext ctx, ClientFrame f) {
        Session s = Session.of(ctx.channel());
        if (s.isClosing()) {
            return; // decoded with the frame that was answered by a fatal error: dropped, not run
        }
        s.readAt(System.nanoTime());
        int id = f.getId();
        if (f.getBodyCase() == ClientFrame.BodyCase.CONNECT) {
            connect.connect(s, id, f.getConnect());
            return;
        }
        if (!s.isConnected()) {
            replies.fatal(ctx.channel(), id, ErrorCode.NOT_CONNECTED, "the first frame must be connect");
            return;
        }
        switch (f.getBodyCase()) {
            case PING ->
                replies.send(
                        ctx.channel(),
                        id,
                        ServerFrame.newBuilder()
                                .setPong(Pong.newBuilder().setNonce(f.getPing().getNonce())));
            case REFRESH -> refresh.refresh(s, id, f.getRefresh());
            case JOIN -> rooms.join(s, id, f.getJoin());
            case SWITCH_ROOM -> rooms.switchRoom(s, id, f.getSwitchRoom());
            case LEAVE -> rooms.leave(s, id, f.getLeave());
            case SUBSCRIBE -> subscriptions.subscribe(s, id, f.getSubscribe());
            case UNSUBSCRIBE -> subscriptions.unsubscribe(s, id, f.getUnsubscribe());
            case PUBLISH -> publish.publish(s, id, f.getPublish());
            case HISTORY -> history.history(s, id, f.getHistory());
            case APPLET_SYNC -> applets.sync(s, id, f.getAppletSync());
            case APPLET_UPDATE -> applets.update(s, id, f.getAppletUpdate());
            case DATA_SYNC -> dataSync.sync(s, id, f.getDataSync());
            case DATA_UPLOAD -> dataSync.upload(s, id, f.getDataUpload());
            case BACKGROUND -> background.background(s, id);
            case FOREGROUND -> background.foreground(s, id, f.getForeground());
            default -> replies.error(ctx.channel(), id, ErrorCode.BAD_REQUEST, "frame has no body");
        }
    }
}
