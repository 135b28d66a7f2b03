package io.livepush.loadtest.dsl;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.wire.RawMessage;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.LeaveRoom;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribe;
import io.livepush.proto.v1.SwitchRoom;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * One virtual user: its feeder values, its script's progress, its connection (replaced on reconnect)
 * and what it receives ({@link Memberships}). At most one request is outstanding (the script
 * waits for each answer). Confined to one event loop at a time: the loop of its current connection;
 * a reconnect moves it, and every move goes through a task submission, so nothing is shared unsafely.
 * The driver thread only reads the volatile progress fields.
 *
 * <p>User {@code i} connects to node {@code i} of the engine's {@link io.livepush.loadtest.engine.Nodes nodes}
 * (mod their count); {@link Actions#nextNode()} moves it on to the next one for its next connect.
 */
public final class Session {
    private final int index;
    private final Map<String, String> values;
    private final Harness harness;
    private final String userId;
    private final String token;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Memberships memberships;
    private volatile EventLoop loop;
    private Connection connection;
    private Runnable afterConnect;
    private Runnable afterClose;
    private int pendingId;
    private Consumer<ServerFrame> pendingAnswer;
    private volatile boolean live;
    private volatile int node;
    private boolean heldToEnd;
    private boolean stopped;

    Session(int index, Map<String, String> values, String defaultUserId, Harness harness, EventLoop loop) {
        this.index = index;
        this.values = Map.copyOf(values);
        this.harness = requireNonNull(harness, "harness");
        this.userId = this.values.getOrDefault("user", defaultUserId);
        this.token = harness.tokens().mint(userId);
        this.loop = requireNonNull(loop, "loop");
        this.memberships = new Memberships(harness);
        this.node = index;
    }

    /** The user's number within its scenario (0-based). */
    public int index() {
        return index;
    }

    public String userId() {
        return userId;
    }

    /** The node the user connects (or last connected) to: its number in the engine's nodes. */
    public int node() {
        return Math.floorMod(node, harness.engine().nodes().size());
    }

    /** A feeder value; fails the user's script when there is none. */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException(
                    userId + ": no value for '" + key + "' (feeders give " + values.keySet() + ")");
        }
        return v;
    }

    /** The room the user is in (or was in before it disconnected), null if none. */
    public String room() {
        return memberships.room();
    }

    /** Completes when the script ran to its end, exceptionally when it failed. */
    public CompletableFuture<Void> done() {
        return done;
    }

    public boolean joinedOnce() {
        return memberships.joinedOnce();
    }

    /** Whether the user is connected and has every acknowledged message of its room (read by the driver). */
    public boolean caughtUp() {
        return !live || memberships.caughtUp();
    }

    Harness harness() {
        return harness;
    }

    EventLoop loop() {
        return loop;
    }

    /** Ends the script with an error; the connection stays, so what it receives is still checked. */
    public void fail(Throwable cause) {
        if (done.completeExceptionally(cause)) {
            harness.sessionFailed();
        }
    }

    boolean failed() {
        return done.isCompletedExceptionally();
    }

    void start(List<Action> script, long delayNanos) {
        loop.schedule(() -> Chain.run(this, script, () -> done.complete(null)), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Closes the connection on purpose at the end of the run; callable from any thread. */
    public void stop() {
        loop.execute(() -> {
            stopped = true;
            heldToEnd = live;
            if (connection != null) {
                connection.stop();
            }
        });
    }

    // ---- actions ----

    void connect(Runnable next) {
        if (connection != null) {
            fail(new IllegalStateException(userId + ": already connected"));
            return;
        }
        Connection c = new Connection(this, token);
        connection = c;
        afterConnect = next;
        harness.engine().connect(node, () -> c).addListener(f -> {
            if (!f.isSuccess()) {
                harness.stats().error();
                fail(f.cause());
            }
        });
    }

    /** The next connect goes to the next node (the same one when there is only one). */
    void nextNode(Runnable next) {
        if (connection != null) {
            fail(new IllegalStateException(userId + ": next node while connected"));
            return;
        }
        node = Math.floorMod(node + 1, harness.engine().nodes().size());
        next.run();
    }

    void disconnect(Runnable next) {
        if (connection == null) {
            next.run();
            return;
        }
        afterClose = next;
        live = false;
        connection.stop();
    }

    void join(String name, boolean resume, Runnable next) {
        Position since = resume ? memberships.position(name) : null;
        JoinRoom.Builder join = JoinRoom.newBuilder().setRoom(name);
        if (since != null) {
            join.setSince(since);
        }
        request(ClientFrame.newBuilder().setJoin(join), "joined", f -> {
            if (f.getBodyCase() != ServerFrame.BodyCase.JOINED) {
                return false;
            }
            memberships.joined(f.getJoined(), since);
            next.run();
            return true;
        });
    }

    void switchRoom(String name, Runnable next) {
        request(ClientFrame.newBuilder().setSwitchRoom(SwitchRoom.newBuilder().setRoom(name)), "joined", f -> {
            if (f.getBodyCase() != ServerFrame.BodyCase.JOINED) {
                return false;
            }
            memberships.joined(f.getJoined(), null);
            next.run();
            return true;
        });
    }

    void leave(Runnable next) {
        String r = memberships.room();
        if (r == null) {
            fail(new IllegalStateException(userId + ": leave while in no room"));
            return;
        }
        request(ClientFrame.newBuilder().setLeave(LeaveRoom.newBuilder().setRoom(r)), "left", f -> {
            if (f.getBodyCase() != ServerFrame.BodyCase.LEFT) {
                return false;
            }
            memberships.left(r);
            next.run();
            return true;
        });
    }

    void subscribe(String channel, Runnable next) {
        request(ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder().setChannel(channel)), "subscribed", f -> {
            if (f.getBodyCase() != ServerFrame.BodyCase.SUBSCRIBED) {
                return false;
            }
            memberships.subscribed(f.getSubscribed());
            next.run();
            return true;
        });
    }

    /** Asks for the oldest message the server still keeps: enough to see the channel's history answer. */
    void history(String channel, Runnable next) {
        request(
                ClientFrame.newBuilder()
                        .setHistory(History.newBuilder().setChannel(channel).setLimit(1)),
                "history",
                f -> {
                    if (f.getBodyCase() != ServerFrame.BodyCase.HISTORY) {
                        return false;
                    }
                    next.run();
                    return true;
                });
    }

    void publish(String channel, int payloadBytes, Runnable next) {
        Publish.Builder p = Publish.newBuilder()
                .setChannel(channel)
                .setKind("lt")
                .setPayload(Payloads.timed(System.nanoTime(), payloadBytes));
        if (request(ClientFrame.newBuilder().setPublish(p), "published", f -> {
            if (f.getBodyCase() != ServerFrame.BodyCase.PUBLISHED) {
                return false;
            }
            harness.stats().acked();
            harness.acked(channel, f.getPublished().getSeq());
            next.run();
            return true;
        })) {
            harness.stats().published();
        }
    }

    Memberships memberships() {
        return memberships;
    }

    private interface Answer {
        /** Handles the answer; false if it is not the kind expected. */
        boolean accept(ServerFrame frame);
    }

    private boolean request(ClientFrame.Builder frame, String expected, Answer answer) {
        if (connection == null || !live) {
            fail(new IllegalStateException(userId + ": not connected"));
            return false;
        }
        pendingId = connection.send(frame);
        pendingAnswer = f -> {
            if (!answer.accept(f)) {
                harness.stats().error();
                fail(new IllegalStateException(
                        userId + ": answer " + f.getBodyCase() + " (expected: " + expected + ")"));
            }
        };
        return true;
    }

    // ---- connection events (on the connection's loop) ----

    void connected(Connection c) {
        loop = c.channelNow().eventLoop();
        live = true;
        Runnable next = afterConnect;
        afterConnect = null;
        if (next != null) {
            next.run();
        }
    }

    void message(RawMessage m, long nowNanos) {
        memberships.message(m, nowNanos);
    }

    void frame(ServerFrame f) {
        if (f.getReplyTo() != 0 && f.getReplyTo() == pendingId && pendingAnswer != null) {
            Consumer<ServerFrame> a = pendingAnswer;
            pendingAnswer = null;
            a.accept(f);
        }
    }

    void errorAnswer(ServerFrame f) {
        if (f.getReplyTo() != 0 && f.getReplyTo() == pendingId && pendingAnswer != null) {
            pendingAnswer = null;
            fail(new IllegalStateException(
                    userId + ": " + f.getError().getCode() + " " + f.getError().getMessage()));
        }
    }

    void closed(Connection c) {
        if (c != connection) {
            return;
        }
        connection = null;
        live = false;
        pendingAnswer = null;
        Runnable next = afterClose;
        afterClose = null;
        if (next != null) {
            next.run();
        } else if (!stopped) {
            // Unexpected (already counted as an error by the connection), or before Connected.
            fail(new IllegalStateException(userId + ": connection closed"));
        }
    }

    /**
     * The continuity of every membership; the current ones of a user still connected when the run
     * stopped must also have reached {@code finalSeq(channel)}. Call once, after {@link #stop()} and
     * after the event loops terminated.
     */
    public Totals finish(ToLongFunction<String> finalSeq) {
        return memberships.finish(heldToEnd, finalSeq);
    }
}
