package io.livepush.loadtest.dsl;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.Payloads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The actions of a script: {@code exec(connect(), join("#{room}"), during(d, publish("#{room}", 100), pause(…)))}.
 * Every request waits for its answer before the next action; pauses and loops are timers and tasks on
 * the user's event loop, never a blocked thread.
 */
public final class Actions {
    private Actions() {}

    /** Connects and authenticates (the session's own token); goes on after {@code Connected}. */
    public static Action connect() {
        return Session::connect;
    }

    /**
     * Moves the user on to the next of the run's nodes (after the last, the first): its next {@link #connect()}
     * goes there, e.g. to {@link #resume(String)} on another node of a cluster. Only while disconnected; with a
     * single node it changes nothing.
     */
    public static Action nextNode() {
        return Session::nextNode;
    }

    /** Closes the connection on purpose; the memberships are kept for {@link #resume(String)}. */
    public static Action disconnect() {
        return Session::disconnect;
    }

    /** Joins a room, starting the seq check from its {@code last_seq}. */
    public static Action join(String room) {
        return join(Expr.of(room));
    }

    public static Action join(Expr room) {
        requireNonNull(room, "room");
        return (s, next) -> s.join(room.apply(s), false, next);
    }

    /** Joins a room again with {@code since} = the last position seen there: the seq check goes on across the gap. */
    public static Action resume(String room) {
        return resume(Expr.of(room));
    }

    public static Action resume(Expr room) {
        requireNonNull(room, "room");
        return (s, next) -> s.join(room.apply(s), true, next);
    }

    /** Switches to another room in one step; after the answer no message of the old room may arrive. */
    public static Action switchRoom(String room) {
        return switchRoom(Expr.of(room));
    }

    public static Action switchRoom(Expr room) {
        requireNonNull(room, "room");
        return (s, next) -> s.switchRoom(room.apply(s), next);
    }

    /** Subscribes to a channel besides the room (e.g. the user's inbox); its seq check starts from its {@code last_seq}. */
    public static Action subscribe(String channel) {
        Expr c = Expr.of(channel);
        return (s, next) -> s.subscribe(c.apply(s), next);
    }

    /** Asks for a channel's history (its oldest kept message) and waits for the answer, whatever it holds. */
    public static Action history(String channel) {
        Expr c = Expr.of(channel);
        return (s, next) -> s.history(c.apply(s), next);
    }

    /** Leaves the current room. */
    public static Action leave() {
        return Session::leave;
    }

    /** Publishes one timed message of {@code payloadBytes} and waits for its acknowledgement. */
    public static Action publish(String channel, int payloadBytes) {
        return publish(Expr.of(channel), payloadBytes);
    }

    public static Action publish(Expr channel, int payloadBytes) {
        requireNonNull(channel, "channel");
        if (payloadBytes < Payloads.MIN_BYTES) {
            throw new IllegalArgumentException(
                    "payloadBytes: " + payloadBytes + " (expected: >= " + Payloads.MIN_BYTES + ")");
        }
        return (s, next) -> s.publish(channel.apply(s), payloadBytes, next);
    }

    public static Action pause(Duration d) {
        return pause(d, d);
    }

    /** A pause drawn uniformly from {@code [min, max]}. */
    public static Action pause(Duration min, Duration max) {
        long lo = requireNonNull(min, "min").toNanos();
        long hi = requireNonNull(max, "max").toNanos();
        if (lo < 0 || hi < lo) {
            throw new IllegalArgumentException("pause: " + min + ".." + max + " (expected: 0 <= min <= max)");
        }
        return (s, next) -> {
            long nanos = lo == hi ? lo : ThreadLocalRandom.current().nextLong(lo, hi + 1);
            s.loop().schedule(next, nanos, TimeUnit.NANOSECONDS);
        };
    }

    /** Runs the actions {@code times} times. */
    public static Action repeat(int times, Action... actions) {
        if (times < 0) {
            throw new IllegalArgumentException("times: " + times + " (expected: >= 0)");
        }
        List<Action> body = List.of(actions);
        return (s, next) -> loop(s, body, i -> i < times, 0, next);
    }

    /** Runs the actions again and again while less than {@code d} has passed since the loop began. */
    public static Action during(Duration d, Action... actions) {
        long nanos = requireNonNull(d, "d").toNanos();
        List<Action> body = List.of(actions);
        return (s, next) -> {
            long end = System.nanoTime() + nanos;
            loop(s, body, i -> System.nanoTime() < end, 0, next);
        };
    }

    private interface Condition {
        boolean again(int iteration);
    }

    private static void loop(Session s, List<Action> body, Condition condition, int i, Runnable next) {
        if (!condition.again(i)) {
            next.run();
            return;
        }
        // Each round starts as a new task, so a long loop of quick actions never deepens the stack.
        Chain.run(s, body, () -> s.loop().execute(() -> loop(s, body, condition, i + 1, next)));
    }

    /** Waits until the driver opens the gate. */
    public static Action await(Gate gate) {
        requireNonNull(gate, "gate");
        return (s, next) -> gate.whenOpen(s, next);
    }

    /** Counts the user in at a checkpoint the driver waits on. */
    public static Action arrive(Checkpoint checkpoint) {
        requireNonNull(checkpoint, "checkpoint");
        return (s, next) -> {
            checkpoint.arrive();
            next.run();
        };
    }

    /** Waits until the user has every message of {@code channel} up to {@code seq} (read when the action starts). */
    public static Action awaitSeq(String channel, LongSupplier seq) {
        Expr c = Expr.of(channel);
        requireNonNull(seq, "seq");
        return (s, next) -> s.memberships().awaitSeq(c.apply(s), seq.getAsLong(), next);
    }

    /**
     * Waits until {@code n} messages of {@code channel} are in since the user joined or subscribed to it:
     * seqs {@code last_seq + 1} … {@code last_seq + n} of that answer (a hole or duplicate fails the run).
     */
    public static Action awaitMessages(String channel, long n) {
        Expr c = Expr.of(channel);
        if (n < 0) {
            throw new IllegalArgumentException("n: " + n + " (expected: >= 0)");
        }
        return (s, next) -> s.memberships().awaitMessages(c.apply(s), n, next);
    }

    /** Runs quick code of the scenario's own (e.g. taking a time), on the user's loop. */
    public static Action call(Consumer<Session> code) {
        requireNonNull(code, "code");
        return (s, next) -> {
            code.accept(s);
            next.run();
        };
    }
}
