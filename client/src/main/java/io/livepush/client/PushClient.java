package io.livepush.client;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletStates;
import io.livepush.proto.v1.AppletSync;
import io.livepush.proto.v1.AppletUpdate;
import io.livepush.proto.v1.Background;
import io.livepush.proto.v1.Backgrounded;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.Connected;
import io.livepush.proto.v1.DataSync;
import io.livepush.proto.v1.DataSyncResult;
import io.livepush.proto.v1.DataUpload;
import io.livepush.proto.v1.DataUploadResult;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Foreground;
import io.livepush.proto.v1.Foregrounded;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.LeaveRoom;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.RoomLeft;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribe;
import io.livepush.proto.v1.Subscribed;
import io.livepush.proto.v1.SwitchRoom;
import io.livepush.proto.v1.Unsubscribe;
import io.livepush.proto.v1.Unsubscribed;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * A client of the push server's TCP protocol with automatic reconnect and resume.
 *
 * <p>Per channel (the joined room and each subscription) the application sees every seq exactly
 * once, in order: duplicates are dropped, holes are filled with {@code History}, and a reconnect
 * resumes from the last delivered position. When the server cannot resume, {@link
 * PushListener#onReset} says so. Publishes whose answer was lost are sent again after a reconnect
 * with the same idempotency key, so they are stored once.
 *
 * <p>All work happens on one Netty event loop thread: one of the builder's {@link
 * PushClientBuilder#eventLoopGroup shared group}, else of a group the client owns. The listener is
 * called, and the futures complete, on that thread unless the builder gives a {@link
 * PushClientBuilder#callbackExecutor callback executor}; either way one at a time and in order, so a
 * callback must not block on the client. Thread-safe: any thread may call any method; after {@link
 * #close()} they return futures failed with "client closed".
 */
public final class PushClient implements AutoCloseable {

    private final Supplier<InetSocketAddress> address;
    private final Supplier<String> tokens;
    private final ClientOptions options;
    private final Callbacks listener;
    private final EventLoopGroup group;
    /** Whether {@link #close()} shuts the group down: not when it is the application's. */
    private final boolean ownsGroup;

    private final EventLoop loop;
    private final Connector connector;
    private final Requests requests;
    private final Channels channels;
    private final SessionRestorer restorer;
    private final Keepalive keepalive;

    private final AtomicBoolean closeCalled = new AtomicBoolean();

    // Everything below is changed on the loop only; the helpers above read it through lambdas.
    private Channel channel;
    private boolean sessionUp;
    /** Read off the loop too: a call after close fails without queueing work. */
    private volatile boolean closed;

    private final Backoff backoff;
    private long goAwayDelayMs;
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private CompletableFuture<Connected> firstConnect;

    PushClient(PushClientBuilder b) {
        this.address = b.address;
        this.tokens = b.tokens;
        this.options = b.options;
        this.listener = b.callbackExecutor == null
                ? Callbacks.direct(b.listener)
                : Callbacks.on(b.callbackExecutor, b.listener);
        this.backoff = new Backoff(
                options.reconnectMin().toMillis(), options.reconnectMax().toMillis());
        this.ownsGroup = b.group == null;
        this.group = ownsGroup
                ? new MultiThreadIoEventLoopGroup(
                        1, new DefaultThreadFactory("livepush-client", true), NioIoHandler.newFactory())
                : b.group;
        this.loop = group.next();
        this.connector = new Connector(loop, options, b.tls, Handler::new);
        this.requests =
                new Requests(loop, options.requestTimeout(), () -> channel, () -> sessionUp, () -> closed, () -> state);
        this.channels = new Channels(options.maxHeldPerChannel(), new Sink());
        this.restorer = new SessionRestorer(channels, requests, listener, () -> channel);
        this.keepalive = new Keepalive(loop, tokens, listener, requests, () -> channel, () -> sessionUp);
    }

    public static PushClientBuilder builder() {
        return new PushClientBuilder();
    }

    // ---------------------------------------------------------------- public API

    /**
     * Opens the connection. Completes with the first {@code Connected}; transport failures are retried
     * with backoff meanwhile. Fails if the server refuses the credentials for good
     * ({@code UNAUTHENTICATED}, {@code UNSUPPORTED_VERSION}), which also closes the client.
     */
    public CompletableFuture<Connected> connect() {
        if (closeCalled.get()) {
            return CompletableFuture.failedFuture(Requests.clientClosed("connect"));
        }
        CompletableFuture<Connected> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                if (closed) {
                    result.completeExceptionally(Requests.clientClosed("connect"));
                    return;
                }
                if (firstConnect == null) {
                    firstConnect = new CompletableFuture<>();
                    openConnection();
                }
                firstConnect.whenComplete((c, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(c);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(Requests.clientClosed("connect"));
        }
        return listener.relay(result);
    }

    /** Joins {@code room}; on reconnects the client joins it again and resumes from its position. */
    public CompletableFuture<RoomJoined> join(String room) {
        return join(room, "");
    }

    /** Joins {@code room} with a channel token granted by the business backend. */
    public CompletableFuture<RoomJoined> join(String room, String channelToken) {
        requireNonNull(room, "room");
        return call(
                () -> {
                    JoinRoom.Builder j = JoinRoom.newBuilder().setRoom(room).setToken(channelToken);
                    Position since = channels.since(room);
                    if (since != null) {
                        j.setSince(since);
                    }
                    return ClientFrame.newBuilder().setJoin(j);
                },
                "join " + room,
                false,
                ServerFrame::hasJoined,
                ServerFrame::getJoined);
    }

    /** Leaves the current room and joins {@code room} in one step. */
    public CompletableFuture<RoomJoined> switchRoom(String room) {
        return switchRoom(room, "");
    }

    public CompletableFuture<RoomJoined> switchRoom(String room, String channelToken) {
        requireNonNull(room, "room");
        return call(
                () -> {
                    SwitchRoom.Builder s = SwitchRoom.newBuilder().setRoom(room).setToken(channelToken);
                    Position since = channels.since(room);
                    if (since != null) {
                        s.setSince(since);
                    }
                    return ClientFrame.newBuilder().setSwitchRoom(s);
                },
                "switchRoom " + room,
                false,
                ServerFrame::hasJoined,
                ServerFrame::getJoined);
    }

    public CompletableFuture<RoomLeft> leave(String room) {
        requireNonNull(room, "room");
        return call(
                () -> ClientFrame.newBuilder().setLeave(LeaveRoom.newBuilder().setRoom(room)),
                "leave " + room,
                false,
                ServerFrame::hasLeft,
                ServerFrame::getLeft);
    }

    /** Subscribes to {@code channel}; on reconnects the client subscribes again and resumes. */
    public CompletableFuture<Subscribed> subscribe(String channel) {
        return subscribe(channel, "");
    }

    public CompletableFuture<Subscribed> subscribe(String channel, String channelToken) {
        requireNonNull(channel, "channel");
        return call(
                () -> {
                    Subscribe.Builder s =
                            Subscribe.newBuilder().setChannel(channel).setToken(channelToken);
                    Position since = channels.since(channel);
                    if (since != null) {
                        s.setSince(since);
                    }
                    return ClientFrame.newBuilder().setSubscribe(s);
                },
                "subscribe " + channel,
                false,
                ServerFrame::hasSubscribed,
                ServerFrame::getSubscribed);
    }

    public CompletableFuture<Unsubscribed> unsubscribe(String channel) {
        requireNonNull(channel, "channel");
        return call(
                () -> ClientFrame.newBuilder()
                        .setUnsubscribe(Unsubscribe.newBuilder().setChannel(channel)),
                "unsubscribe " + channel,
                false,
                ServerFrame::hasUnsubscribed,
                ServerFrame::getUnsubscribed);
    }

    /**
     * Publishes to {@code channel}. The publish carries a fresh idempotency key; if the connection drops
     * before its answer, it is sent again after the reconnect with the same key, so it is stored once.
     */
    public CompletableFuture<PublishAck> publish(String channel, String kind, byte[] payload) {
        requireNonNull(channel, "channel");
        ClientFrame.Builder frame = ClientFrame.newBuilder()
                .setPublish(Publish.newBuilder()
                        .setChannel(channel)
                        .setKind(kind == null ? "" : kind)
                        .setPayload(ByteString.copyFrom(payload == null ? new byte[0] : payload))
                        .setIdempotencyKey(UUID.randomUUID().toString()));
        return call(() -> frame, "publish to " + channel, true, ServerFrame::hasPublished, ServerFrame::getPublished);
    }

    /** Messages of {@code channel} after {@code sinceSeq}, at most {@code limit} (the server caps it). */
    public CompletableFuture<HistoryResult> history(String channel, long sinceSeq, int limit) {
        return history(History.newBuilder()
                .setChannel(channel)
                .setSinceSeq(sinceSeq)
                .setLimit(limit)
                .build());
    }

    /** A full {@code History} request, e.g. with a have-set. */
    public CompletableFuture<HistoryResult> history(History request) {
        return call(
                () -> ClientFrame.newBuilder().setHistory(request),
                "history of " + request.getChannel(),
                false,
                ServerFrame::hasHistory,
                ServerFrame::getHistory);
    }

    /** Applets of {@code room} whose version is above {@code knownVersion}; empty id = all. */
    public CompletableFuture<AppletStates> appletSync(String room, String appletId, long knownVersion) {
        AppletSync sync = AppletSync.newBuilder()
                .setRoom(room)
                .setAppletId(appletId == null ? "" : appletId)
                .setKnownVersion(knownVersion)
                .build();
        return call(
                () -> ClientFrame.newBuilder().setAppletSync(sync),
                "appletSync " + room,
                false,
                ServerFrame::hasApplets,
                ServerFrame::getApplets);
    }

    public CompletableFuture<AppletStates> appletUpdate(AppletUpdate update) {
        return call(
                () -> ClientFrame.newBuilder().setAppletUpdate(update),
                "appletUpdate " + update.getRoom(),
                false,
                ServerFrame::hasApplets,
                ServerFrame::getApplets);
    }

    public CompletableFuture<DataSyncResult> dataSync(DataSync sync) {
        return call(
                () -> ClientFrame.newBuilder().setDataSync(sync),
                "dataSync " + sync.getSpace(),
                false,
                ServerFrame::hasDataSync,
                ServerFrame::getDataSync);
    }

    public CompletableFuture<DataUploadResult> dataUpload(DataUpload upload) {
        return call(
                () -> ClientFrame.newBuilder().setDataUpload(upload),
                "dataUpload " + upload.getSpace(),
                false,
                ServerFrame::hasDataUpload,
                ServerFrame::getDataUpload);
    }

    /**
     * Background mode, for when the app is not shown: the server keeps the client in its room (and its
     * presence) and subscriptions but sends nothing live until {@link #foreground()}. Once this
     * completes no more messages arrive. A reconnect meanwhile restores the room and subscriptions
     * (with their replay), then background mode.
     */
    public CompletableFuture<Backgrounded> background() {
        return call(
                () -> {
                    restorer.background(true);
                    return ClientFrame.newBuilder().setBackground(Background.getDefaultInstance());
                },
                "background",
                false,
                ServerFrame::hasBackgrounded,
                ServerFrame::getBackgrounded);
    }

    /**
     * Leaves background mode: sends the last delivered position of the room and of each subscription,
     * and the server replays what was missed; the listener gets those messages in order, as after a
     * reconnect ({@link PushListener#onReset} for a channel that could not be recovered), and the room's
     * applet states. Completes with the answer, which comes before the replayed messages. Data-sync
     * changes are not pushed in the background: sync spaces from their cursors after this.
     */
    public CompletableFuture<Foregrounded> foreground() {
        return call(
                () -> {
                    restorer.background(false);
                    return ClientFrame.newBuilder()
                            .setForeground(Foreground.newBuilder().putAllSince(channels.positions()));
                },
                "foreground",
                false,
                ServerFrame::hasForegrounded,
                ServerFrame::getForegrounded);
    }

    /** The connection state now. */
    public ConnectionState state() {
        return state;
    }

    /**
     * Closes the connection for good: pending requests fail, later calls return failed futures. Shuts
     * down the client's own event loop group, never a shared one. Off the I/O thread it returns when
     * that is done. Idempotent.
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                shutdown(new PushException(ErrorCode.UNKNOWN, "client closed", false));
                done.complete(null);
            });
        } catch (RejectedExecutionException e) {
            // The application shut its shared group down first: nothing of the client runs any more.
            closed = true;
            done.complete(null);
        }
        if (loop.inEventLoop()) {
            if (ownsGroup) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            return;
        }
        done.join();
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private <T> CompletableFuture<T> call(
            Supplier<ClientFrame.Builder> frame,
            String what,
            boolean resend,
            Predicate<ServerFrame> has,
            Function<ServerFrame, T> get) {
        return listener.relay(requests.call(frame, what, resend, has, get));
    }

    // ---------------------------------------------------------------- connection

    private void openConnection() {
        if (closed) {
            return;
        }
        setState(ConnectionState.CONNECTING);
        // The token supplier may block: off the loop, then back on it.
        CompletableFuture.supplyAsync(tokens, ForkJoinPool.commonPool())
                .whenCompleteAsync(
                        (token, err) -> {
                            if (closed) {
                                return;
                            }
                            if (err != null) {
                                connectFailed(err);
                                return;
                            }
                            connector.connect(address.get()).addListener((ChannelFutureListener) cf -> {
                                if (!cf.isSuccess()) {
                                    connectFailed(cf.cause());
                                } else if (closed) {
                                    cf.channel().close();
                                } else {
                                    handshake(cf.channel(), token);
                                }
                            });
                        },
                        loop);
    }

    private void handshake(Channel ch, String token) {
        channel = ch;
        keepalive.touch();
        Pending p = new Pending(
                () -> ClientFrame.newBuilder()
                        .setConnect(Connect.newBuilder()
                                .setToken(token)
                                .setProtocolVersion(1)
                                .setClient(options.clientName())),
                "connect",
                false);
        // Not submit(): the Connect goes out before the session is up, under the connect timeout.
        p.timeout = loop.schedule(
                () -> {
                    requests.timedOut(p, options.connectTimeout());
                    ch.close();
                },
                options.connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        requests.send(p);
        p.future.whenComplete((f, err) -> {
            if (channel != ch) {
                return;
            }
            if (err != null) {
                listener.onError(err);
                if (err instanceof PushException pe
                        && (pe.code() == ErrorCode.UNAUTHENTICATED || pe.code() == ErrorCode.UNSUPPORTED_VERSION)) {
                    if (firstConnect != null && !firstConnect.isDone()) {
                        shutdown(pe);
                        return;
                    }
                }
                ch.close();
            } else {
                sessionUp(f.getConnected(), token);
            }
        });
    }

    private void sessionUp(Connected c, String token) {
        sessionUp = true;
        backoff.reset();
        goAwayDelayMs = 0;
        keepalive.start(channel, c.getHeartbeatMs(), token);
        // In this order: restore first, then what waited, then CONNECTED and the first connect's future.
        restorer.restore();
        requests.sendQueued();
        setState(ConnectionState.CONNECTED);
        if (firstConnect != null) {
            firstConnect.complete(c);
        }
    }

    private void connectFailed(Throwable cause) {
        listener.onError(cause);
        setState(ConnectionState.DISCONNECTED);
        scheduleReconnect();
    }

    private void connectionLost(Channel ch) {
        if (channel != ch) {
            return;
        }
        channel = null;
        sessionUp = false;
        keepalive.stop();
        channels.disconnected();
        requests.connectionLost();
        if (closed) {
            return;
        }
        setState(ConnectionState.DISCONNECTED);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay = backoff.nextDelayMs();
        delay = Math.max(delay, goAwayDelayMs);
        goAwayDelayMs = 0;
        loop.schedule(this::openConnection, delay, TimeUnit.MILLISECONDS);
    }

    private void shutdown(PushException why) {
        if (closed) {
            return;
        }
        closed = true;
        keepalive.stop();
        Channel ch = channel;
        connectionLost(ch);
        if (ch != null) {
            ch.close();
        }
        requests.failQueued(why);
        if (firstConnect != null) {
            firstConnect.completeExceptionally(why);
        }
        setState(ConnectionState.CLOSED);
    }

    private void setState(ConnectionState s) {
        if (state != s && state != ConnectionState.CLOSED) {
            state = s;
            listener.onConnectionState(s);
        }
    }

    // ---------------------------------------------------------------- inbound

    private void onFrame(ServerFrame f) {
        keepalive.touch();
        switch (f.getBodyCase()) {
            case MESSAGE -> channels.onMessage(f.getMessage());
            case JOINED -> {
                channels.onJoined(f.getJoined());
                listener.onJoined(f.getJoined());
                f.getJoined().getAppletsList().forEach(listener::onAppletState);
            }
            case LEFT -> channels.onLeft(f.getLeft());
            case SUBSCRIBED -> channels.onSubscribed(f.getSubscribed());
            case UNSUBSCRIBED -> channels.onUnsubscribed(f.getUnsubscribed());
            case FOREGROUNDED -> {
                channels.onForegrounded(f.getForegrounded());
                f.getForegrounded().getAppletsList().forEach(listener::onAppletState);
            }
            case APPLET -> listener.onAppletState(f.getApplet());
            case APPLETS -> f.getApplets().getStatesList().forEach(listener::onAppletState);
            case DATA_CHANGED -> listener.onDataChanged(f.getDataChanged());
            case MEMBER_JOINED -> listener.onMemberJoined(f.getMemberJoined());
            case MEMBER_LEFT -> listener.onMemberLeft(f.getMemberLeft());
            case GO_AWAY -> goAwayDelayMs = f.getGoAway().getReconnectAfterMs();
            case ERROR -> {
                if (f.getReplyTo() == 0) {
                    listener.onError(new PushException(
                            f.getError().getCode(),
                            f.getError().getMessage(),
                            f.getError().getFatal()));
                }
            }
            default -> {}
        }
        // After the body's own effects: a join's future completes with its tracker already set.
        if (f.getReplyTo() != 0) {
            requests.answer(f);
        }
    }

    private final class Sink implements ChannelTracker.Sink {
        @Override
        public void deliver(String channelName, io.livepush.proto.v1.Message message) {
            listener.onMessage(channelName, message);
        }

        @Override
        public void reset(String channelName, String epoch) {
            listener.onReset(channelName, epoch);
        }

        @Override
        public void fetch(ChannelTracker tracker, long generation, long sinceSeq, int limit) {
            if (!sessionUp) {
                tracker.onHistoryFailed(generation);
                return;
            }
            History h = History.newBuilder()
                    .setChannel(tracker.channel())
                    .setSinceSeq(sinceSeq)
                    .setLimit(limit)
                    .build();
            Pending p = new Pending(
                    () -> ClientFrame.newBuilder().setHistory(h), "hole fill of " + tracker.channel(), false);
            requests.submit(p);
            p.future.whenComplete((f, err) -> {
                if (err != null || !f.hasHistory()) {
                    tracker.onHistoryFailed(generation);
                } else {
                    tracker.onHistory(generation, f.getHistory(), this);
                }
            });
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<ServerFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ServerFrame f) {
            if (ctx.channel() == channel) {
                onFrame(f);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connectionLost(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                // A failed TLS handshake arrives wrapped by the decoder: the application wants the SSLException.
                Throwable error = cause instanceof DecoderException && cause.getCause() instanceof SSLException
                        ? cause.getCause()
                        : cause;
                listener.onError(error);
            }
            ctx.close();
        }
    }
}
