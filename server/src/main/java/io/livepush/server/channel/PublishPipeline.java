package io.livepush.server.channel;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.PublishAck;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.store.ChannelMeta;
import io.livepush.server.store.MessageLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The write path of channels: publishes (and changes that must stay in order with them) enter the
 * channel's {@link ChannelMailbox} from any thread; the channel's home drains it in batches, stores
 * each batch with one commit and fans every stored message out. A channel whose mailbox is full, or
 * whose home is, refuses the write with a {@link RejectedExecutionException}.
 */
final class PublishPipeline {
    private final ChannelStates states;
    private final MessageLog log;
    private final FanOut fanOut;
    private final PushMetrics metrics;
    private final Clock clock;
    private final RegistrySettings settings;

    PublishPipeline(
            ChannelStates states,
            MessageLog log,
            FanOut fanOut,
            PushMetrics metrics,
            Clock clock,
            RegistrySettings settings) {
        this.states = states;
        this.log = log;
        this.fanOut = fanOut;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = settings;
    }

    void publish(
            String channel,
            String kind,
            ByteString payload,
            String publisher,
            String idempotencyKey,
            Reply<PublishAck> reply) {
        post(channel, new ChannelMailbox.Publish(kind, payload, publisher, idempotencyKey, reply));
    }

    /** Runs {@code work} on the channel's home in its place among the channel's publishes. */
    <T> void ordered(String channel, Function<ChannelState, T> work, Reply<T> reply) {
        post(
                channel,
                new ChannelMailbox.Change(
                        () -> {
                            T result;
                            try {
                                result = work.apply(states.find(channel));
                            } catch (RuntimeException e) {
                                reply.fail(e);
                                return;
                            }
                            reply.complete(result);
                        },
                        reply::fail));
    }

    private void post(String channel, ChannelMailbox.Item item) {
        ChannelState st = states.get(channel);
        ChannelMailbox.Offer offer;
        while ((offer = st.mailbox.offer(item, settings.maxQueuedPublishes(), settings.maxQueuedBytes()))
                == ChannelMailbox.Offer.CLOSED) {
            st = states.replace(st);
        }
        if (offer == ChannelMailbox.Offer.FULL) {
            refuse(item, new ChannelOverloadedException(channel));
        } else if (st.mailbox.claimDrain()) {
            ChannelState claimed = st;
            try {
                st.home.execute(() -> drain(claimed));
            } catch (RejectedExecutionException e) {
                failQueued(claimed, e);
            }
        }
    }

    /**
     * On the home: one batch of the mailbox, consecutive publishes stored together and a change run in
     * its place; then, while more is queued, the drain goes to the back of the home's queue so the
     * other channels sharing the home get their turn (it carries on in place only if that is refused).
     */
    private void drain(ChannelState st) {
        do {
            List<ChannelMailbox.Publish> publishes = new ArrayList<>();
            for (ChannelMailbox.Item item : st.mailbox.take(settings.publishBatch())) {
                if (item instanceof ChannelMailbox.Publish p) {
                    publishes.add(p);
                } else {
                    store(st, publishes);
                    publishes.clear();
                    ((ChannelMailbox.Change) item).run().run();
                }
            }
            store(st, publishes);
        } while (st.mailbox.continueDrain() && !requeued(st));
    }

    private boolean requeued(ChannelState st) {
        try {
            st.home.execute(() -> drain(st));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void store(ChannelState st, List<ChannelMailbox.Publish> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            storeAndFanOut(st, batch);
        } catch (RuntimeException e) {
            batch.forEach(p -> p.reply().fail(e));
        }
    }

    /** The home refused the drain: everything queued fails as busy. */
    private void failQueued(ChannelState st, RejectedExecutionException e) {
        do {
            st.mailbox.take(Integer.MAX_VALUE).forEach(item -> refuse(item, e));
        } while (st.mailbox.continueDrain());
    }

    private static void refuse(ChannelMailbox.Item item, RuntimeException e) {
        if (item instanceof ChannelMailbox.Publish p) {
            p.reply().fail(e);
        } else {
            ((ChannelMailbox.Change) item).refuse().accept(e);
        }
    }

    /** On the home: all or none of the batch's new messages are stored; repeated keys get the first answer. */
    private void storeAndFanOut(ChannelState st, List<ChannelMailbox.Publish> batch) {
        long now = clock.millis();
        List<Message> drafts = new ArrayList<>(batch.size());
        List<ChannelMailbox.Publish> stored = new ArrayList<>(batch.size());
        // Keys stored by this batch, each with the later publishes that repeat it (rare: made on first use).
        Map<String, List<ChannelMailbox.Publish>> repeats = null;
        List<String> keys = new ArrayList<>(batch.size());
        for (ChannelMailbox.Publish p : batch) {
            String key = p.idempotencyKey();
            PublishAck earlier = key.isEmpty() ? null : idempotency(st, now).find(key, now);
            if (earlier != null) {
                p.reply().complete(earlier);
            } else if (repeats != null && repeats.containsKey(key)) {
                repeats.get(key).add(p);
            } else {
                drafts.add(Message.newBuilder()
                        .setKind(p.kind())
                        .setPayload(p.payload())
                        .setPublisher(p.publisher())
                        .setTimestampMs(now)
                        .build());
                stored.add(p);
                keys.add(key);
                if (!key.isEmpty()) {
                    repeats = repeats == null ? new HashMap<>() : repeats;
                    repeats.put(key, new ArrayList<>(0));
                }
            }
        }
        if (drafts.isEmpty()) {
            return;
        }
        MessageLog.Appended appended = log.appendAll(st.meta(log), st.name, drafts, keys);
        st.meta = appended.meta();
        st.lastActiveMs = now;
        List<Message> messages = appended.messages();
        fanOut.deliver(st, messages);
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            metrics.published();
            PublishAck ack = PublishAck.newBuilder()
                    .setChannel(st.name)
                    .setEpoch(m.getEpoch())
                    .setSeq(m.getSeq())
                    .build();
            String key = stored.get(i).idempotencyKey();
            if (!key.isEmpty()) {
                idempotency(st, now).remember(key, ack, now);
                repeats.get(key).forEach(p -> p.reply().complete(ack));
            }
            stored.get(i).reply().complete(ack);
        }
    }

    /**
     * The channel's idempotency keys, made on first need with those stored with its messages of the
     * last window, so that a key outlives the process: after a crash is when clients retry the
     * publishes they got no answer for. Reads at most as many messages as it keeps keys, once per
     * channel state.
     */
    private IdempotencyCache idempotency(ChannelState st, long now) {
        IdempotencyCache keys = st.idempotencyIfAny();
        if (keys == null) {
            long windowMs = settings.idempotencyWindow().toMillis();
            int maxKeys = settings.idempotencyKeysPerChannel();
            ChannelMeta meta = st.meta(log);
            List<MessageLog.RecentKey> stored = log.recentKeys(meta, st.name, now - windowMs, maxKeys);
            keys = st.idempotency(windowMs, maxKeys); // only once read: a failed read is tried again
            for (MessageLog.RecentKey k : stored) {
                keys.remember(
                        k.key(),
                        PublishAck.newBuilder()
                                .setChannel(st.name)
                                .setEpoch(meta.epoch())
                                .setSeq(k.seq())
                                .build(),
                        k.timestampMs());
            }
        }
        return keys;
    }
}
