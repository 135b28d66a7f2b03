package io.livepush.server.channel;

import io.livepush.proto.v1.Message;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.store.ChannelMeta;
import io.livepush.server.store.MessageLog;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background care of the channels and their store: each home releases its idle channel states; one
 * maintenance thread scans the store (scans never run on a home or an event loop) for history past
 * its age and for eviction when the store is over capacity, and hands each channel found to its
 * home, in batches, so every change of a channel still comes from its single writer.
 */
final class StoreMaintenance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreMaintenance.class);
    /** Channels handed to a home in one task: a sweep over a million channels must not flood the home queues. */
    private static final int BATCH = 512;

    private static final long CAPACITY_CHECK_MS = 250;

    private final HomeExecutors homes;
    private final ChannelStates states;
    private final MessageLog store;
    private final PushMetrics metrics;
    private final Clock clock;
    /**
     * A plain thread, not Netty's FastThreadLocalThread: it blocks by design (scans, waiting for the next run), and
     * Netty's BlockHound integration takes every FastThreadLocalThread for a non-blocking event loop.
     */
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "push-store-maintenance");
        t.setDaemon(true);
        return t;
    });

    StoreMaintenance(HomeExecutors homes, ChannelStates states, MessageLog store, PushMetrics metrics, Clock clock) {
        this.homes = homes;
        this.states = states;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    void start(long retentionSweepMs) {
        states.startReleasing(homes);
        thread.scheduleWithFixedDelay(
                guarded(this::evictIfOverCapacity), CAPACITY_CHECK_MS, CAPACITY_CHECK_MS, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(
                guarded(this::trimExpired), retentionSweepMs, retentionSweepMs, TimeUnit.MILLISECONDS);
    }

    /** Evicts the least recently published channels until the store is back under its low-water mark. */
    void evictIfOverCapacity() {
        if (!store.overCapacity()) {
            return;
        }
        // A hint read off the homes (the home checks again): channels someone follows keep their history.
        List<MessageLog.Victim> victims = store.planEviction(name -> {
            ChannelState st = states.find(name);
            return st != null && st.hasMembers();
        });
        log.info(
                "store over capacity ({} messages, {} channels): evicting the history of {} channels",
                store.messageCount(),
                store.channelCount(),
                victims.size());
        Map<EventExecutor, List<MessageLog.Victim>> byHome = new HashMap<>();
        for (MessageLog.Victim v : victims) {
            byHome.computeIfAbsent(homes.homeOf(v.channel()), h -> new ArrayList<>())
                    .add(v);
        }
        byHome.forEach((home, list) -> inBatches(home, list, this::evictOnHome));
    }

    /**
     * Drops messages past the age retention of each channel's namespace; reads at most each channel's oldest
     * message here.
     */
    void trimExpired() {
        long now = clock.millis();
        Map<EventExecutor, List<String>> byHome = new HashMap<>();
        store.forEachChannel((name, meta) -> {
            if (meta.kept() > 0
                    && oldestMs(name, meta) < now - store.retentionMaxAge(name).toMillis()) {
                byHome.computeIfAbsent(homes.homeOf(name), h -> new ArrayList<>())
                        .add(name);
            }
        });
        byHome.forEach((home, names) -> inBatches(home, names, name -> {
            ChannelState st = states.find(name);
            if (st != null) {
                st.meta = store.trimExpired(st.meta(store), name);
            } else {
                store.trimExpired(store.current(name), name);
            }
        }));
    }

    /**
     * When the channel's oldest kept message was stored: with one message kept that is its last
     * publish, so a million one-message inboxes cost no read (and no decode) per sweep.
     */
    private long oldestMs(String name, ChannelMeta meta) {
        if (meta.kept() == 1 && meta.lastPublishMs() > 0) {
            return meta.lastPublishMs();
        }
        return store.read(meta, name, meta.firstSeq(), meta.firstSeq(), 1).stream()
                .mapToLong(Message::getTimestampMs)
                .findFirst()
                .orElse(Long.MAX_VALUE);
    }

    /** On the channel's home: a channel someone follows keeps its history (its members' positions stay valid). */
    private void evictOnHome(MessageLog.Victim victim) {
        ChannelState st = states.find(victim.channel());
        if ((st != null && st.hasMembers()) || !store.evict(victim)) {
            return;
        }
        if (st != null) {
            st.meta = null; // read again: the channel now has the current generation's epoch
            st.recent.clear();
        }
        metrics.storeEvicted("channels", 1);
        metrics.storeEvicted("messages", Math.max(0, victim.meta().kept()));
    }

    private <T> void inBatches(EventExecutor home, List<T> items, Consumer<T> onHome) {
        for (int from = 0; from < items.size(); from += BATCH) {
            List<T> batch = items.subList(from, Math.min(items.size(), from + BATCH));
            try {
                home.execute(() -> batch.forEach(onHome));
            } catch (RejectedExecutionException e) {
                return; // busy: the next sweep finds what is left
            }
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("store maintenance failed; trying again at the next sweep", e);
            }
        };
    }

    /** Stops the sweeps and waits for a scan under way: the store may close after this returns. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
