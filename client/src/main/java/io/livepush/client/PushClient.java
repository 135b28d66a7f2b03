package io.livepush.client;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.codec.DelimitedFrameEncoder;
import io.livepush.codec.ProtobufFrameDecoder;
import io.livepush.codec.VarintFrameDecoder;
import io.livepush.proto.v1.AppletStates;
import io.livepush.proto.v1.AppletSync;
import io.livepush.proto.v1.AppletUpdate;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.Connected;
import io.livepush.proto.v1.DataSync;
import io.livepush.proto.v1.DataSyncResult;
import io.livepush.proto.v1.DataUpload;
import io.livepush.proto.v1.DataUploadResult;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.LeaveRoom;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.Refresh;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.RoomLeft;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribe;
import io.livepush.proto.v1.Subscribed;
import io.livepush.proto.v1.SwitchRoom;
import io.livepush.proto.v1.Unsubscribe;
import io.livepush.proto.v1.Unsubscribed;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A client of the push server's TCP protocol with automatic reconnect and resume.
 *
 * <p>Per channel (the joined room and each subscription) the application sees every seq exactly
 * once, in order: duplicates are dropped, holes are filled with {@code History}, and a reconnect
 * resumes from the last delivered position. When the server cannot resume, {@link
 * PushListener#onReset} says so. Publishes whose answer was lost are sent again after a reconnect
 * with the same idempotency key, so they are stored once.
 *
 * <p>All work happens on one Netty event loop thread; futures and listeners are completed and called
 * on it, so callbacks must not block. Thread-safe: any thread may call any method.
 */
public final class PushClient implements AutoCloseable {

    private final Supplier<InetSocketAddress> address;
    private final Supplier<String> tokens;
    private final ClientOptions options;
    private final PushListener listener;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Sink sink = new Sink();

    // Everything below is touched on the loop only.
    private final Map<Integer, Pending> inFlight = new HashMap<>();
    private final ArrayDeque<Pending> queued = new ArrayDeque<>();
    private final Map<String, ChannelTracker> trackers = new HashMap<>();
    private final Set<String> subscriptions = new LinkedHashSet<>();
    private String room;
    private Channel channel;
    private boolean sessionUp;
    private boolean closed;
    private int nextId = 1;
    private final Backoff backoff;
    private long goAwayDelayMs;
    private long lastReadNanos;
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private CompletableFuture<Connected> firstConnect;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> refreshTimer;

    PushClient(PushClientBuilder b) {
        this.address = b.address;
        this.tokens = b.tokens;
        this.options = b.options;
        this.listener = b.listener;
        this.backoff = new Backoff(options.reconnectMin().toMillis(), options.reconnectMax().toMillis());
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("livepush-client", true),
                NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new VarintFrameDecoder(options.maxFrameBytes()),
                                new ProtobufFrameDecoder<>(ServerFrame.parser()),
                                DelimitedFrameEncoder.INSTANCE,
                                new Handler());
                    }
                });
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
        CompletableFuture<Connected> result = new CompletableFuture<>();
        loop.execute(() -> {
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
        return result;
    }

    /** Joins {@code room}; on reconnects the client joins it again and resumes from its position. */
    public CompletableFuture<RoomJoined> join(String room) {
        return join(room, "");
    }

    /** Joins {@code room} with a channel token granted by the business backend. */
    public CompletableFuture<RoomJoined> join(String room, String channelToken) {
        requireNonNull(room, "room");
        return call(() -> {
            JoinRoom.Builder j = JoinRoom.newBuilder().setRoom(room).setToken(channelToken);
            Position since = since(room);
            if (since != null) {
                j.setSince(since);
            }
            return ClientFrame.newBuilder().setJoin(j);
        }, "join " + room, false, ServerFrame::hasJoined, ServerFrame::getJoined);
    }

    /** Leaves the current room and joins {@code room} in one step. */
    public CompletableFuture<RoomJoined> switchRoom(String room) {
        return switchRoom(room, "");
    }

    public CompletableFuture<RoomJoined> switchRoom(String room, String channelToken) {
        requireNonNull(room, "room");
        return call(() -> {
            SwitchRoom.Builder s = SwitchRoom.newBuilder().setRoom(room).setToken(channelToken);
            Position since = since(room);
            if (since != null) {
                s.setSince(since);
            }
            return ClientFrame.newBuilder().setSwitchRoom(s);
        }, "switchRoom " + room, false, ServerFrame::hasJoined, ServerFrame::getJoined);
    }

    public CompletableFuture<RoomLeft> leave(String room) {
        requireNonNull(room, "room");
        return call(() -> ClientFrame.newBuilder().setLeave(LeaveRoom.newBuilder().setRoom(room)),
                "leave " + room, false, ServerFrame::hasLeft, ServerFrame::getLeft);
    }

    /** Subscribes to {@code channel}; on reconnects the client subscribes again and resumes. */
    public CompletableFuture<Subscribed> subscribe(String channel) {
        return subscribe(channel, "");
    }

    public CompletableFuture<Subscribed> subscribe(String channel, String channelToken) {
        requireNonNull(channel, "channel");
        return call(() -> {
            Subscribe.Builder s = Subscribe.newBuilder().setChannel(channel).setToken(channelToken);
            Position since = since(channel);
            if (since != null) {
                s.setSince(since);
            }
            return ClientFrame.newBuilder().setSubscribe(s);
        }, "subscribe " + channel, false, ServerFrame::hasSubscribed, ServerFrame::getSubscribed);
    }

    public CompletableFuture<Unsubscribed> unsubscribe(String channel) {
        requireNonNull(channel, "channel");
        return call(() -> ClientFrame.newBuilder().setUnsubscribe(Unsubscribe.newBuilder().setChannel(channel)),
                "unsubscribe " + channel, false, ServerFrame::hasUnsubscribed, ServerFrame::getUnsubscribed);
    }

    /**
     * Publishes to {@code channel}. The publish carries a fresh idempotency key; if the connection drops
     * before its answer, it is sent again after the reconnect with the same key, so it is stored once.
     */
    public CompletableFuture<PublishAck> publish(String channel, String kind, byte[] payload) {
        requireNonNull(channel, "channel");
        ClientFrame.Builder frame = ClientFrame.newBuilder().setPublish(Publish.newBuilder()
                .setChannel(channel)
                .setKind(kind == null ? "" : kind)
                .setPayload(ByteString.copyFrom(payload == null ? new byte[0] : payload))
                .setIdempotencyKey(UUID.randomUUID().toString()));
        return call(() -> frame, "publish to " + channel, true, ServerFrame::hasPublished, ServerFrame::getPublished);
    }

    /** Messages of {@code channel} after {@code sinceSeq}, at most {@code limit} (the server caps it). */
    public CompletableFuture<HistoryResult> history(String channel, long sinceSeq, int limit) {
        return history(History.newBuilder().setChannel(channel).setSinceSeq(sinceSeq).setLimit(limit).build());
    }

    /** A full {@code History} request, e.g. with a have-set. */
    public CompletableFuture<HistoryResult> history(History request) {
        return call(() -> ClientFrame.newBuilder().setHistory(request), "history of " + request.getChannel(),
                false, ServerFrame::hasHistory, ServerFrame::getHistory);
    }

    /** Applets of {@code room} whose version is above {@code knownVersion}; empty id = all. */
    public CompletableFuture<AppletStates> appletSync(String room, String appletId, long knownVersion) {
        AppletSync sync = AppletSync.newBuilder().setRoom(room).setAppletId(appletId == null ? "" : appletId)
                .setKnownVersion(knownVersion).build();
        return call(() -> ClientFrame.newBuilder().setAppletSync(sync), "appletSync " + room, false,
                ServerFrame::hasApplets, ServerFrame::getApplets);
    }

    public CompletableFuture<AppletStates> appletUpdate(AppletUpdate update) {
        return call(() -> ClientFrame.newBuilder().setAppletUpdate(update), "appletUpdate " + update.getRoom(),
                false, ServerFrame::hasApplets, ServerFrame::getApplets);
    }

    public CompletableFuture<DataSyncResult> dataSync(DataSync sync) {
        return call(() -> ClientFrame.newBuilder().setDataSync(sync), "dataSync " + sync.getSpace(), false,
                ServerFrame::hasDataSync, ServerFrame::getDataSync);
    }

    public CompletableFuture<DataUploadResult> dataUpload(DataUpload upload) {
        return call(() -> ClientFrame.newBuilder().setDataUpload(upload), "dataUpload " + upload.getSpace(), false,
                ServerFrame::hasDataUpload, ServerFrame::getDataUpload);
    }

    /** The connection state now. */
    public ConnectionState state() {
        return state;
    }

    /** Closes the connection for good; pending requests fail. Idempotent. */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            shutdown(new PushException(ErrorCode.UNKNOWN, "client closed", false));
            done.complete(null);
        });
        if (!loop.inEventLoop()) {
            done.join();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        } else {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- requests

    private <T> CompletableFuture<T> call(Supplier<ClientFrame.Builder> frame, String what, boolean resend,
                                          Predicate<ServerFrame> has, Function<ServerFrame, T> get) {
        Pending p = new Pending(frame, what, resend);
        loop.execute(() -> submit(p, options.requestTimeout()));
        return p.future.thenApply(f -> {
            if (!has.test(f)) {
                throw new PushException(ErrorCode.UNKNOWN, "unexpected answer to " + what + ": " + f.getBodyCase(), false);
            }
            return get.apply(f);
        });
    }

    private void submit(Pending p, Duration timeout) {
        if (closed) {
            p.future.completeExceptionally(new PushException(ErrorCode.UNKNOWN, "client closed: " + p.what, false));
            return;
        }
        p.timeout = loop.schedule(() -> timedOut(p, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (sessionUp) {
            send(p);
        } else {
            queued.add(p);
        }
    }

    private void send(Pending p) {
        if (p.built == null) {
            p.built = p.frame.get(); // built when first sent: a resume position is the one current then
        }
        p.id = nextId();
        inFlight.put(p.id, p);
        channel.writeAndFlush(p.built.setId(p.id).build()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void timedOut(Pending p, Duration timeout) {
        if (p.id != 0) {
            inFlight.remove(p.id, p);
        }
        queued.remove(p);
        p.future.completeExceptionally(new TimeoutException(
                "no answer to " + p.what + " within " + timeout.toMillis() + " ms (state " + state + ")"));
    }

    private int nextId() {
        int id = nextId++;
        if (nextId <= 0) {
            nextId = 1;
        }
        return id;
    }

    private void answer(ServerFrame f) {
        Pending p = inFlight.remove(f.getReplyTo());
        if (p == null) {
            return; // timed out already, or a ping
        }
        p.timeout.cancel(false);
        if (f.hasError()) {
            p.future.completeExceptionally(new PushException(f.getError().getCode(),
                    f.getError().getMessage() + " (" + p.what + ")", f.getError().getFatal()));
        } else {
            p.future.complete(f);
        }
    }

    private Position since(String channel) {
        ChannelTracker t = trackers.get(channel);
        return t == null ? null : t.position();
    }

    // ---------------------------------------------------------------- connection

    private void openConnection() {
        if (closed) {
            return;
        }
        setState(ConnectionState.CONNECTING);
        CompletableFuture.supplyAsync(tokens, ForkJoinPool.commonPool())
                .whenCompleteAsync((token, err) -> {
                    if (closed) {
                        return;
                    }
                    if (err != null) {
                        connectFailed(err);
                        return;
                    }
                    bootstrap.connect(address.get()).addListener((ChannelFutureListener) cf -> {
                        if (!cf.isSuccess()) {
                            connectFailed(cf.cause());
                        } else if (closed) {
                            cf.channel().close();
                        } else {
                            handshake(cf.channel(), token);
                        }
                    });
                }, loop);
    }

    private void handshake(Channel ch, String token) {
        channel = ch;
        lastReadNanos = System.nanoTime();
        Pending p = new Pending(() -> ClientFrame.newBuilder().setConnect(Connect.newBuilder()
                .setToken(token).setProtocolVersion(1).setClient(options.clientName())), "connect", false);
        p.timeout = loop.schedule(() -> {
            timedOut(p, options.connectTimeout());
            ch.close();
        }, options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        send(p);
        p.future.whenComplete((f, err) -> {
            if (channel != ch) {
                return;
            }
            if (err != null) {
                listener().onError(err);
                if (err instanceof PushException pe && (pe.code() == ErrorCode.UNAUTHENTICATED
                        || pe.code() == ErrorCode.UNSUPPORTED_VERSION)) {
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
        int hb = c.getHeartbeatMs();
        if (hb > 0) {
            Channel ch = channel;
            heartbeat = loop.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastReadNanos > TimeUnit.MILLISECONDS.toNanos(2L * hb)) {
                    listener().onError(new TimeoutException("no traffic from the server within " + 2 * hb + " ms"));
                    ch.close();
                } else {
                    ch.writeAndFlush(ClientFrame.newBuilder().setId(nextId())
                            .setPing(Ping.newBuilder().setNonce(System.nanoTime())).build());
                }
            }, hb, hb, TimeUnit.MILLISECONDS);
        }
        scheduleRefresh(Jwt.expiryMs(token));
        restore();
        List<Pending> waiting = new ArrayList<>(queued);
        queued.clear();
        waiting.forEach(this::send);
        setState(ConnectionState.CONNECTED);
        if (firstConnect != null) {
            firstConnect.complete(c);
        }
    }

    /** Joins the room again and re-subscribes, each from its last delivered position. */
    private void restore() {
        if (room != null) {
            String r = room;
            Pending p = new Pending(() -> ClientFrame.newBuilder().setJoin(withSince(JoinRoom.newBuilder().setRoom(r), r)),
                    "rejoin " + r, false);
            submit(p, options.requestTimeout());
            p.future.whenComplete((f, err) -> restoreFailed(r, err));
        }
        for (String s : subscriptions) {
            Pending p = new Pending(() -> {
                Subscribe.Builder b = Subscribe.newBuilder().setChannel(s);
                Position since = since(s);
                if (since != null) {
                    b.setSince(since);
                }
                return ClientFrame.newBuilder().setSubscribe(b);
            }, "resubscribe " + s, false);
            submit(p, options.requestTimeout());
            p.future.whenComplete((f, err) -> restoreFailed(s, err));
        }
    }

    private JoinRoom.Builder withSince(JoinRoom.Builder b, String r) {
        Position since = since(r);
        return since == null ? b : b.setSince(since);
    }

    private void restoreFailed(String channelName, Throwable err) {
        if (err == null) {
            return;
        }
        listener().onError(err);
        if (err instanceof PushException pe && pe.code() != ErrorCode.UNKNOWN) {
            // Refused now (e.g. FORBIDDEN): the client no longer follows it.
            if (channelName.equals(room)) {
                room = null;
            }
            subscriptions.remove(channelName);
            trackers.remove(channelName);
        } else if (channel != null) {
            channel.close(); // try again on a fresh connection
        }
    }

    private void connectFailed(Throwable cause) {
        listener().onError(cause);
        setState(ConnectionState.DISCONNECTED);
        scheduleReconnect();
    }

    private void connectionLost(Channel ch) {
        if (channel != ch) {
            return;
        }
        channel = null;
        sessionUp = false;
        cancelTimers();
        trackers.values().forEach(ChannelTracker::disconnected);
        List<Pending> again = new ArrayList<>();
        for (Pending p : inFlight.values()) {
            if (p.resend) {
                again.add(p);
            } else {
                p.timeout.cancel(false);
                p.future.completeExceptionally(new PushException(ErrorCode.UNKNOWN,
                        "connection lost before the answer to " + p.what, false));
            }
        }
        inFlight.clear();
        again.sort(Comparator.comparingInt((Pending p) -> p.id).reversed());
        again.forEach(queued::addFirst); // resent first, in their original order
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

    private void scheduleRefresh(long expiresMs) {
        if (expiresMs <= 0) {
            return;
        }
        long ttl = expiresMs - System.currentTimeMillis();
        long delay = Math.max(0, ttl - Math.min(30_000, ttl / 3));
        refreshTimer = loop.schedule(this::refresh, delay, TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        Channel ch = channel;
        CompletableFuture.supplyAsync(tokens, ForkJoinPool.commonPool()).whenCompleteAsync((token, err) -> {
            if (channel != ch || !sessionUp) {
                return;
            }
            if (err != null) {
                listener().onError(err);
                return;
            }
            Pending p = new Pending(() -> ClientFrame.newBuilder().setRefresh(Refresh.newBuilder().setToken(token)),
                    "refresh", false);
            submit(p, options.requestTimeout());
            p.future.whenComplete((f, e) -> {
                if (e != null) {
                    listener().onError(e);
                } else if (channel == ch && f.hasRefreshed()) {
                    long exp = f.getRefreshed().getExpiresMs();
                    scheduleRefresh(exp > 0 ? exp : Jwt.expiryMs(token));
                }
            });
        }, loop);
    }

    private void cancelTimers() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
        if (refreshTimer != null) {
            refreshTimer.cancel(false);
            refreshTimer = null;
        }
    }

    private void shutdown(PushException why) {
        if (closed) {
            return;
        }
        closed = true;
        cancelTimers();
        Channel ch = channel;
        connectionLost(ch);
        if (ch != null) {
            ch.close();
        }
        for (Pending p : queued) {
            if (p.timeout != null) {
                p.timeout.cancel(false);
            }
            p.future.completeExceptionally(why);
        }
        queued.clear();
        if (firstConnect != null) {
            firstConnect.completeExceptionally(why);
        }
        setState(ConnectionState.CLOSED);
    }

    private void setState(ConnectionState s) {
        if (state != s && state != ConnectionState.CLOSED) {
            state = s;
            try {
                listener.onConnectionState(s);
            } catch (RuntimeException e) {
                // a listener's failure must not break the client
            }
        }
    }

    private PushListener listener() {
        return listener;
    }

    // ---------------------------------------------------------------- inbound

    private void onFrame(ServerFrame f) {
        lastReadNanos = System.nanoTime();
        switch (f.getBodyCase()) {
            case MESSAGE -> {
                ChannelTracker t = trackers.get(f.getMessage().getChannel());
                if (t != null) {
                    t.onLive(f.getMessage(), sink);
                }
            }
            case JOINED -> onJoined(f.getJoined());
            case LEFT -> {
                if (f.getLeft().getRoom().equals(room)) {
                    room = null;
                    trackers.remove(f.getLeft().getRoom());
                }
            }
            case SUBSCRIBED -> {
                Subscribed s = f.getSubscribed();
                subscriptions.add(s.getChannel());
                trackers.computeIfAbsent(s.getChannel(), c -> new ChannelTracker(c, options.maxHeldPerChannel()))
                        .onAnswer(s.getEpoch(), s.getLastSeq(), s.getRecovered(), sink);
            }
            case UNSUBSCRIBED -> {
                subscriptions.remove(f.getUnsubscribed().getChannel());
                if (!f.getUnsubscribed().getChannel().equals(room)) {
                    trackers.remove(f.getUnsubscribed().getChannel());
                }
            }
            case APPLET -> safely(() -> listener.onAppletState(f.getApplet()));
            case APPLETS -> f.getApplets().getStatesList().forEach(a -> safely(() -> listener.onAppletState(a)));
            case DATA_CHANGED -> safely(() -> listener.onDataChanged(f.getDataChanged()));
            case GO_AWAY -> goAwayDelayMs = f.getGoAway().getReconnectAfterMs();
            case ERROR -> {
                if (f.getReplyTo() == 0) {
                    safely(() -> listener.onError(new PushException(f.getError().getCode(),
                            f.getError().getMessage(), f.getError().getFatal())));
                }
            }
            default -> {
            }
        }
        if (f.getReplyTo() != 0) {
            answer(f);
        }
    }

    private void onJoined(RoomJoined j) {
        if (!j.getPrevious().isEmpty() && !subscriptions.contains(j.getPrevious())) {
            trackers.remove(j.getPrevious());
        }
        if (room != null && !room.equals(j.getRoom()) && !subscriptions.contains(room)) {
            trackers.remove(room);
        }
        room = j.getRoom();
        trackers.computeIfAbsent(room, c -> new ChannelTracker(c, options.maxHeldPerChannel()))
                .onAnswer(j.getEpoch(), j.getLastSeq(), j.getRecovered(), sink);
        j.getAppletsList().forEach(a -> safely(() -> listener.onAppletState(a)));
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a listener's failure must not break delivery
        }
    }

    private final class Sink implements ChannelTracker.Sink {
        @Override
        public void deliver(String channelName, io.livepush.proto.v1.Message message) {
            safely(() -> listener.onMessage(channelName, message));
        }

        @Override
        public void reset(String channelName, String epoch) {
            safely(() -> listener.onReset(channelName, epoch));
        }

        @Override
        public void fetch(ChannelTracker tracker, long generation, long sinceSeq, int limit) {
            if (!sessionUp) {
                tracker.onHistoryFailed(generation);
                return;
            }
            History h = History.newBuilder().setChannel(tracker.channel()).setSinceSeq(sinceSeq).setLimit(limit).build();
            Pending p = new Pending(() -> ClientFrame.newBuilder().setHistory(h), "hole fill of " + tracker.channel(), false);
            submit(p, options.requestTimeout());
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
                safely(() -> listener.onError(cause));
            }
            ctx.close();
        }
    }
}
