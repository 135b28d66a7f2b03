package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.PublishAck;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;

/**
 * One channel's writes waiting for its home, in arrival order: publishes, and other changes that
 * must stay in order with them (applet updates). They arrive from any event loop; the home takes
 * them in batches, so consecutive publishes that queued up while it was busy are stored with one
 * commit. At most one drain is scheduled or running at a time.
 *
 * <p>Bounded by count and by bytes: a full mailbox refuses. The queue is made on the first offer (most
 * channels never have a write queued) and the home may {@link #close} an empty mailbox when it
 * releases the channel's state: an offer then fails with {@link Offer#CLOSED} and the writer goes to
 * the channel's next state instead, so no write lands in a released one.
 */
final class ChannelMailbox {
    sealed interface Item permits Publish, Change {
        int bytes();
    }

    /** A publish waiting to be stored; {@code reply} gets its ack. */
    record Publish(String kind, ByteString payload, String publisher, String idempotencyKey, Reply<PublishAck> reply)
            implements Item {
        Publish {
            requireNonNull(reply, "reply");
        }

        @Override
        public int bytes() {
            return payload.size() + kind.length() + publisher.length() + idempotencyKey.length();
        }
    }

    /** Any other change of the channel, run on its home in its place among the publishes, or refused. */
    record Change(Runnable run, Consumer<RuntimeException> refuse) implements Item {
        Change {
            requireNonNull(run, "run");
            requireNonNull(refuse, "refuse");
        }

        @Override
        public int bytes() {
            return 0;
        }
    }

    enum Offer {
        QUEUED,
        FULL,
        CLOSED
    }

    private static final int CLOSED = Integer.MIN_VALUE;
    private static final AtomicReferenceFieldUpdater<ChannelMailbox, Queue> QUEUE =
            AtomicReferenceFieldUpdater.newUpdater(ChannelMailbox.class, Queue.class, "queue");
    private static final AtomicIntegerFieldUpdater<ChannelMailbox> SIZE =
            AtomicIntegerFieldUpdater.newUpdater(ChannelMailbox.class, "size");
    private static final AtomicLongFieldUpdater<ChannelMailbox> BYTES =
            AtomicLongFieldUpdater.newUpdater(ChannelMailbox.class, "bytes");
    private static final AtomicIntegerFieldUpdater<ChannelMailbox> DRAINING =
            AtomicIntegerFieldUpdater.newUpdater(ChannelMailbox.class, "draining");

    private volatile Queue<Item> queue;
    private volatile int size;
    private volatile long bytes;
    private volatile int draining;

    /** Queues {@code item} unless that would pass {@code maxItems} or {@code maxBytes}, or the mailbox is closed. */
    Offer offer(Item item, int maxItems, long maxBytes) {
        int n;
        do {
            n = size;
            if (n == CLOSED) {
                return Offer.CLOSED;
            }
            if (n >= maxItems) {
                return Offer.FULL;
            }
        } while (!SIZE.compareAndSet(this, n, n + 1));
        int itemBytes = item.bytes();
        if (BYTES.addAndGet(this, itemBytes) > maxBytes && n > 0) { // one item always fits
            BYTES.addAndGet(this, -itemBytes);
            SIZE.decrementAndGet(this);
            return Offer.FULL;
        }
        queue().offer(item);
        return Offer.QUEUED;
    }

    /** True when the caller must schedule a drain: none is scheduled or running. */
    boolean claimDrain() {
        return DRAINING.compareAndSet(this, 0, 1);
    }

    /** Up to {@code max} items, oldest first; called by the drain on the home. */
    List<Item> take(int max) {
        Queue<Item> q = queue;
        if (q == null) {
            return List.of();
        }
        List<Item> batch = new ArrayList<>(Math.min(max, Math.max(1, size)));
        Item item;
        long taken = 0;
        while (batch.size() < max && (item = q.poll()) != null) {
            batch.add(item);
            taken += item.bytes();
        }
        BYTES.addAndGet(this, -taken);
        SIZE.addAndGet(this, -batch.size());
        return batch;
    }

    /**
     * Ends a drain. True when items arrived meanwhile and this drain must go on (its claim is
     * kept); false when it is over.
     */
    boolean continueDrain() {
        draining = 0;
        Queue<Item> q = queue;
        return q != null && !q.isEmpty() && claimDrain();
    }

    /** On the home: closes the mailbox if nothing is queued; true when it did. */
    boolean close() {
        return SIZE.compareAndSet(this, 0, CLOSED);
    }

    @SuppressWarnings("unchecked")
    private Queue<Item> queue() {
        Queue<Item> q = queue;
        if (q == null) {
            QUEUE.compareAndSet(this, null, new ConcurrentLinkedQueue<Item>());
            q = queue;
        }
        return q;
    }
}
