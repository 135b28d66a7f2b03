package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.PublishAck;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One channel's writes waiting for its home, in arrival order: publishes, and other changes that
 * must stay in order with them (applet updates). They arrive from any event loop; the home takes
 * them in batches, so consecutive publishes that queued up while it was busy are stored with one
 * commit. At most one drain is scheduled or running at a time; bounded: a full mailbox refuses.
 */
final class ChannelMailbox {
    sealed interface Item permits Publish, Change {
    }

    /** A publish waiting to be stored; {@code result} completes on the channel's home thread. */
    record Publish(String kind, ByteString payload, String publisher, String idempotencyKey,
                   CompletableFuture<PublishAck> result) implements Item {
        Publish {
            requireNonNull(result, "result");
        }
    }

    /** Any other change of the channel, run on its home in its place among the publishes, or refused. */
    record Change(Runnable run, Consumer<RuntimeException> refuse) implements Item {
        Change {
            requireNonNull(run, "run");
            requireNonNull(refuse, "refuse");
        }
    }

    private final int capacity;
    private final Queue<Item> queue = PlatformDependent.newMpscQueue();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();

    ChannelMailbox(int capacity) {
        this.capacity = capacity;
    }

    /** False when the mailbox is full. */
    boolean offer(Item p) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        queue.offer(p);
        return true;
    }

    /** True when the caller must schedule a drain: none is scheduled or running. */
    boolean claimDrain() {
        return draining.compareAndSet(false, true);
    }

    /** Up to {@code max} items, oldest first; called by the drain on the home. */
    List<Item> take(int max) {
        List<Item> batch = new ArrayList<>(Math.min(max, Math.max(1, size.get())));
        Item p;
        while (batch.size() < max && (p = queue.poll()) != null) {
            batch.add(p);
        }
        size.addAndGet(-batch.size());
        return batch;
    }

    /**
     * Ends a drain. True when items arrived meanwhile and this drain must go on (its claim is
     * kept); false when it is over.
     */
    boolean continueDrain() {
        draining.set(false);
        return !queue.isEmpty() && draining.compareAndSet(false, true);
    }
}
