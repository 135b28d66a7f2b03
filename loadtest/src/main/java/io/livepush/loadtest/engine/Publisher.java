package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.RunStats;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes timed messages to one channel at a fixed rate for a fixed time. A 1 ms tick sends what
 * is due since the start (so the average rate holds even when ticks are late), one flush per tick;
 * it sends nothing while the connection is not writable or {@code maxInFlight} publishes are unacked,
 * so the backlog stays bounded and the achieved rate shows in the report.
 */
public final class Publisher extends VirtualUser {
    private final String channelName;
    private final int payloadBytes;
    private final int maxInFlight;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private ScheduledFuture<?> ticker;
    private long startNanos;
    private long endNanos;
    private double ratePerSec;
    private long sent;
    private long acked;
    private volatile long lastAckedSeq;

    public Publisher(String user, String token, String channelName, int payloadBytes, int maxInFlight, RunStats stats) {
        super(user, token, stats);
        this.channelName = requireNonNull(channelName, "channelName");
        if (payloadBytes < Payloads.MIN_BYTES) {
            throw new IllegalArgumentException("payloadBytes: " + payloadBytes + " (expected: >= " + Payloads.MIN_BYTES + ")");
        }
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: > 0)");
        }
        this.payloadBytes = payloadBytes;
        this.maxInFlight = maxInFlight;
    }

    @Override
    protected void onConnected(ChannelHandlerContext ctx) {
        markReady();
    }

    /**
     * Starts publishing; the future completes when the time is up and every publish was answered
     * (or the connection closed). Thread-safe.
     */
    public CompletableFuture<Void> start(double ratePerSec, Duration duration) {
        if (!(ratePerSec > 0)) {
            throw new IllegalArgumentException("ratePerSec: " + ratePerSec + " (expected: > 0)");
        }
        Channel ch = requireNonNull(channel(), "not connected");
        ch.eventLoop().execute(() -> {
            this.ratePerSec = ratePerSec;
            startNanos = System.nanoTime();
            endNanos = startNanos + duration.toNanos();
            ticker = ch.eventLoop().scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
        });
        ch.closeFuture().addListener(f -> done.complete(null));
        return done;
    }

    private void tick() {
        Channel ch = channel();
        long now = System.nanoTime();
        if (now >= endNanos || !ch.isActive()) {
            ticker.cancel(false);
            maybeDone();
            return;
        }
        long due = (long) ((now - startNanos) / 1e9 * ratePerSec);
        boolean wrote = false;
        while (sent < due && sent - acked < maxInFlight && ch.isWritable()) {
            ch.write(ClientFrame.newBuilder()
                    .setId(nextId())
                    .setPublish(Publish.newBuilder()
                            .setChannel(channelName)
                            .setKind("lt")
                            .setPayload(Payloads.timed(System.nanoTime(), payloadBytes)))
                    .build(), ch.voidPromise());
            sent++;
            stats.published();
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ServerFrame frame) {
        if (frame.getBodyCase() == ServerFrame.BodyCase.PUBLISHED) {
            acked++;
            stats.acked();
            lastAckedSeq = Math.max(lastAckedSeq, frame.getPublished().getSeq());
            maybeDone();
        }
    }

    @Override
    protected void onError(ServerFrame frame) {
        if (frame.getReplyTo() != 0) {
            acked++;
            maybeDone();
        }
    }

    private void maybeDone() {
        if (ticker != null && ticker.isDone() && acked >= sent) {
            done.complete(null);
        }
    }

    /** The highest seq the server acknowledged; readable from any thread. */
    public long lastAckedSeq() {
        return lastAckedSeq;
    }
}
