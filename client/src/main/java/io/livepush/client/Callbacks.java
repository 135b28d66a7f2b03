package io.livepush.client;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.DataChanged;
import io.livepush.proto.v1.MemberJoined;
import io.livepush.proto.v1.MemberLeft;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.RoomJoined;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Calls the application: its {@link PushListener}, and the futures the client hands out. Calls run on
 * the callback executor (by default directly, on the client's I/O thread), one at a time, in the order
 * the client made them. A listener that throws is logged and the client goes on: delivery, heartbeats
 * and reconnects never stop for an application's bug.
 *
 * <p>Logged with {@link System.Logger} (logger {@code io.livepush.client.PushClient}): no logging
 * dependency for the application to reconcile; it reaches SLF4J or Log4j through their JDK platform
 * logging bridges, else {@code java.util.logging}.
 */
final class Callbacks implements PushListener {
    private static final System.Logger log = System.getLogger(PushClient.class.getName());

    private final PushListener listener;
    /** Null: directly on the calling thread, which is always the client's I/O thread. */
    private final Executor executor;

    private Callbacks(PushListener listener, Executor executor) {
        this.listener = requireNonNull(listener, "listener");
        this.executor = executor;
    }

    /** Calls {@code listener} directly on the client's I/O thread. */
    static Callbacks direct(PushListener listener) {
        return new Callbacks(listener, null);
    }

    /** Calls {@code listener} and completes futures on {@code executor}, in order. */
    static Callbacks on(Executor executor, PushListener listener) {
        return new Callbacks(listener, new SerialExecutor(executor));
    }

    /**
     * The future to hand to the application for {@code result}: completed on the callback executor, in
     * order with the listener's calls (an answer's {@code onJoined} before its future). One done already
     * (a call on a closed client) is handed over as it is: the caller is the application's thread.
     */
    <T> CompletableFuture<T> relay(CompletableFuture<T> result) {
        if (executor == null || result.isDone()) {
            return result;
        }
        CompletableFuture<T> relayed = new CompletableFuture<>();
        result.whenComplete((value, error) -> executor.execute(() -> {
            if (error != null) {
                relayed.completeExceptionally(error);
            } else {
                relayed.complete(value);
            }
        }));
        return relayed;
    }

    @Override
    public void onMessage(String channel, Message message) {
        call("onMessage", () -> listener.onMessage(channel, message));
    }

    @Override
    public void onReset(String channel, String epoch) {
        call("onReset", () -> listener.onReset(channel, epoch));
    }

    @Override
    public void onJoined(RoomJoined joined) {
        call("onJoined", () -> listener.onJoined(joined));
    }

    @Override
    public void onAppletState(AppletState state) {
        call("onAppletState", () -> listener.onAppletState(state));
    }

    @Override
    public void onMemberJoined(MemberJoined joined) {
        call("onMemberJoined", () -> listener.onMemberJoined(joined));
    }

    @Override
    public void onMemberLeft(MemberLeft left) {
        call("onMemberLeft", () -> listener.onMemberLeft(left));
    }

    @Override
    public void onDataChanged(DataChanged change) {
        call("onDataChanged", () -> listener.onDataChanged(change));
    }

    @Override
    public void onConnectionState(ConnectionState state) {
        call("onConnectionState", () -> listener.onConnectionState(state));
    }

    @Override
    public void onError(Throwable error) {
        call("onError", () -> listener.onError(error));
    }

    private void call(String method, Runnable call) {
        Runnable guarded = () -> {
            try {
                call.run();
            } catch (VirtualMachineError e) {
                throw e; // out of memory or stack: nothing sane to go on with
            } catch (Throwable e) {
                log.log(Level.WARNING, "PushListener." + method + " threw; the client goes on", e);
            }
        };
        if (executor == null) {
            guarded.run();
        } else {
            executor.execute(guarded);
        }
    }
}
