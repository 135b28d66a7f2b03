package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.RunStats;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes one timed message to each channel of a numbered range ({@code <prefix><i>}, e.g. the inboxes
 * {@code user.0} … {@code user.999999}), pipelined on one connection: at most {@code maxInFlight}
 * unanswered, the next ones written as answers come in and flushed once per read batch, nothing written
 * while the connection is not writable. Unlike {@link Publisher} it is bounded by a count, not paced over
 * a time, and it counts the errors it gets by code (each is also a run error, counted by {@link VirtualUser}).
 */
public final class RangePublisher extends VirtualUser {
    /**
     * What one {@link #publish} got.
     *
     * @param acked      publishes acknowledged
     * @param errors     errors received during the sweep, by code: refused publishes, and any error that closed
     *                   the connection
     * @param unanswered publishes not answered (or never written) because the connection closed
     */
    public record Sweep(long acked, Map<ErrorCode, Long> errors, long unanswered) {
        public Sweep {
            errors = Collections.unmodifiableMap(new TreeMap<>(errors)); // by code, in the enum's order
        }
    }

    private final String prefix;
    private final int payloadBytes;
    private final int maxInFlight;
    // On the event loop; a new sweep starts only after the one before completed.
    private CompletableFuture<Sweep> sweep;
    private int next;
    private int end;
    private int inFlight;
    private long acked;
    private Map<ErrorCode, Long> errors;
    private boolean unflushed;

    public RangePublisher(String user, String token, String prefix, int payloadBytes, int maxInFlight, RunStats stats) {
        super(user, token, stats);
        this.prefix = requireNonNull(prefix, "prefix");
        if (payloadBytes < Payloads.MIN_BYTES) {
            throw new IllegalArgumentException(
                    "payloadBytes: " + payloadBytes + " (expected: >= " + Payloads.MIN_BYTES + ")");
        }
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: > 0)");
        }
        this.payloadBytes = payloadBytes;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Publishes once to each of {@code <prefix>from} … {@code <prefix>(to − 1)}; the future completes when
     * every one was answered, or the connection closed. Thread-safe; call after {@link #ready()}, and
     * again only once the sweep before completed.
     */
    public CompletableFuture<Sweep> publish(int from, int to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("range: [" + from + ", " + to + ") (expected: 0 <= from <= to)");
        }
        Channel ch = requireNonNull(channel(), "not connected");
        CompletableFuture<Sweep> f = new CompletableFuture<>();
        ch.eventLoop().execute(() -> {
            if (sweep != null && !sweep.isDone()) {
                f.completeExceptionally(new IllegalStateException(user + ": a sweep is still running"));
                return;
            }
            sweep = f;
            next = from;
            end = to;
            inFlight = 0;
            acked = 0;
            errors = new EnumMap<>(ErrorCode.class);
            if (!ch.isActive()) {
                complete();
                return;
            }
            fill(ch);
            flush(ch);
            maybeDone();
        });
        return f;
    }

    private void fill(Channel ch) {
        while (next < end && inFlight < maxInFlight && ch.isWritable()) {
            ch.write(
                    ClientFrame.newBuilder()
                            .setId(nextId())
                            .setPublish(Publish.newBuilder()
                                    .setChannel(prefix + next)
                                    .setKind("lt")
                                    .setPayload(Payloads.timed(System.nanoTime(), payloadBytes)))
                            .build(),
                    ch.voidPromise());
            next++;
            inFlight++;
            unflushed = true;
            stats.published();
        }
    }

    private void flush(Channel ch) {
        if (unflushed) {
            unflushed = false;
            ch.flush();
        }
    }

    @Override
    protected void onConnected(ChannelHandlerContext ctx) {
        markReady();
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ServerFrame frame) {
        if (frame.getBodyCase() == ServerFrame.BodyCase.PUBLISHED) {
            stats.acked();
            acked++;
            answered(ctx.channel());
        }
    }

    @Override
    protected void onError(ServerFrame frame) {
        if (sweep != null && !sweep.isDone()) {
            errors.merge(frame.getError().getCode(), 1L, Long::sum);
            if (frame.getReplyTo() != 0) {
                answered(channel());
            }
        }
    }

    private void answered(Channel ch) {
        if (sweep == null || sweep.isDone()) {
            return;
        }
        inFlight--;
        fill(ch);
        maybeDone();
    }

    private void maybeDone() {
        if (next == end && inFlight == 0) {
            complete();
        }
    }

    private void complete() {
        sweep.complete(new Sweep(acked, errors, inFlight + (end - next)));
    }

    /** One flush for everything the answers of this read batch let through. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush(ctx.channel());
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && sweep != null && !sweep.isDone()) {
            fill(ctx.channel());
            flush(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    protected void onInactive() {
        super.onInactive();
        if (sweep != null && !sweep.isDone()) {
            complete();
        }
    }
}
