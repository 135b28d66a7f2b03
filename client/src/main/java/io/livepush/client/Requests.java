package io.livepush.client;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Request bookkeeping: ids, the in-flight map matched by {@code reply_to}, the queue of requests made
 * while no session is up, timeouts, and what happens to each request when the connection is lost.
 * Touched on the client's loop only (except {@link #call}, which hops onto it, and {@link #clientClosed}).
 */
final class Requests {
    private final EventLoop loop;
    private final Duration requestTimeout;
    // The client's connection state, read when needed: it owns these and changes them on the loop.
    private final Supplier<Channel> channel;
    private final BooleanSupplier sessionUp;
    private final BooleanSupplier closed;
    private final Supplier<ConnectionState> state;

    private final Map<Integer, Pending> inFlight = new HashMap<>();
    private final ArrayDeque<Pending> queued = new ArrayDeque<>();
    private int nextId = 1;

    Requests(
            EventLoop loop,
            Duration requestTimeout,
            Supplier<Channel> channel,
            BooleanSupplier sessionUp,
            BooleanSupplier closed,
            Supplier<ConnectionState> state) {
        this.loop = loop;
        this.requestTimeout = requestTimeout;
        this.channel = channel;
        this.sessionUp = sessionUp;
        this.closed = closed;
        this.state = state;
    }

    /** Submits a request from any thread; the answer must pass {@code has}, then {@code get} picks the body. */
    <T> CompletableFuture<T> call(
            Supplier<ClientFrame.Builder> frame,
            String what,
            boolean resend,
            Predicate<ServerFrame> has,
            Function<ServerFrame, T> get) {
        Pending p = new Pending(frame, what, resend);
        if (closed.getAsBoolean()) {
            p.future.completeExceptionally(clientClosed(what));
        } else {
            try {
                loop.execute(() -> submit(p));
            } catch (RejectedExecutionException e) {
                // The loop is gone (closed client, or a shared group the application shut down).
                p.future.completeExceptionally(clientClosed(what));
            }
        }
        return p.future.thenApply(f -> {
            if (!has.test(f)) {
                throw new PushException(
                        ErrorCode.UNKNOWN, "unexpected answer to " + what + ": " + f.getBodyCase(), false);
            }
            return get.apply(f);
        });
    }

    /** Sends {@code p} now if a session is up, else queues it; either way its timeout starts now. */
    void submit(Pending p) {
        if (closed.getAsBoolean()) {
            p.future.completeExceptionally(clientClosed(p.what));
            return;
        }
        p.timeout = loop.schedule(() -> timedOut(p, requestTimeout), requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (sessionUp.getAsBoolean()) {
            send(p);
        } else {
            queued.add(p);
        }
    }

    /** The failure of a request made on a closed client. */
    static PushException clientClosed(String what) {
        return new PushException(ErrorCode.UNKNOWN, "client closed: " + what, false);
    }

    /** Writes {@code p} to the current channel under a fresh id. */
    void send(Pending p) {
        if (p.built == null) {
            p.built = p.frame.get(); // built when first sent: a resume position is the one current then
        }
        p.id = nextId();
        inFlight.put(p.id, p);
        channel.get().writeAndFlush(p.built.setId(p.id).build()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    void timedOut(Pending p, Duration timeout) {
        if (p.id != 0) {
            inFlight.remove(p.id, p);
        }
        queued.remove(p);
        p.future.completeExceptionally(new TimeoutException(
                "no answer to " + p.what + " within " + timeout.toMillis() + " ms (state " + state.get() + ")"));
    }

    /** The next request id; never 0, which means "no reply_to". */
    int nextId() {
        int id = nextId++;
        if (nextId <= 0) {
            nextId = 1;
        }
        return id;
    }

    /** Completes the request that {@code f} answers (its {@code reply_to}). */
    void answer(ServerFrame f) {
        Pending p = inFlight.remove(f.getReplyTo());
        if (p == null) {
            return; // timed out already, or a ping
        }
        if (f.hasError() && retryLater(p, f.getError())) {
            return;
        }
        p.timeout.cancel(false);
        if (f.hasError()) {
            p.future.completeExceptionally(new PushException(
                    f.getError().getCode(),
                    f.getError().getMessage() + " (" + p.what + ")",
                    f.getError().getFatal(),
                    f.getError().getRetryAfterMs()));
        } else {
            p.future.complete(f);
        }
    }

    /**
     * A request that may be sent again (a publish: same idempotency key) and was refused by a rate
     * limit is sent again when the server said it may be, if that is before its timeout. Its timeout
     * keeps running, so a limit that never lifts still ends in an error.
     */
    private boolean retryLater(Pending p, io.livepush.proto.v1.Error error) {
        if (!p.resend
                || error.getCode() != ErrorCode.RATE_LIMITED
                || error.getRetryAfterMs() <= 0
                || p.timeout.getDelay(TimeUnit.MILLISECONDS) <= error.getRetryAfterMs()) {
            return false;
        }
        loop.schedule(
                () -> {
                    if (p.future.isDone()) {
                        return;
                    }
                    if (sessionUp.getAsBoolean()) {
                        send(p);
                    } else {
                        queued.add(p);
                    }
                },
                error.getRetryAfterMs(),
                TimeUnit.MILLISECONDS);
        return true;
    }

    /** A session is up: sends what waited for it, resent publishes first. */
    void sendQueued() {
        List<Pending> waiting = new ArrayList<>(queued);
        queued.clear();
        waiting.forEach(this::send);
    }

    /** Fails what was in flight, except requests that may be resent: those go first in the queue. */
    void connectionLost() {
        List<Pending> again = new ArrayList<>();
        for (Pending p : inFlight.values()) {
            if (p.resend) {
                again.add(p);
            } else {
                p.timeout.cancel(false);
                p.future.completeExceptionally(
                        new PushException(ErrorCode.UNKNOWN, "connection lost before the answer to " + p.what, false));
            }
        }
        inFlight.clear();
        again.sort(Comparator.comparingInt((Pending p) -> p.id).reversed());
        again.forEach(queued::addFirst); // resent first, in their original order
    }

    /** The client is closed: fails everything still queued with {@code why}. */
    void failQueued(PushException why) {
        for (Pending p : queued) {
            if (p.timeout != null) {
                p.timeout.cancel(false);
            }
            p.future.completeExceptionally(why);
        }
        queued.clear();
    }
}
