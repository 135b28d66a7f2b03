package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.codec.Frames;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.SeqRange;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.admin.AdminBackend.ChannelInfo;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.store.AppletStore;
import io.livepush.server.store.ChannelMeta;
import io.livepush.server.store.MessageLog;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Channels, their members and their messages. Every operation on a channel runs as a task on the
 * channel's home thread, which alone assigns seqs, appends to the store and changes member lists:
 * that ordering is what makes "replay, then live, no holes, no duplicates" hold without locks.
 *
 * <p>Callbacks given to {@link #attach} and {@link #readPage} run on the home thread, inside the
 * task: a callback that hands its result to the connection's event loop therefore queues it before
 * any later fan-out of the same channel.
 *
 * <p>A full home queue makes the call throw {@link RejectedExecutionException} (or fail the future).
 */
public final class ChannelRegistry {
    private final HomeExecutors homes;
    private final MessageLog log;
    private final PushMetrics metrics;
    private final Clock clock;
    private final RegistrySettings settings;
    private final HistoryQuery historyQuery;
    private final FanOut fanOut;
    private final AppletBoard applets;
    private final ConcurrentHashMap<String, ChannelState> states = new ConcurrentHashMap<>();
    private final AtomicLong activeRooms = new AtomicLong();
    private final LoopFlushers flushers = new LoopFlushers();
    private final FrameBudget frameBudget;
    private final ByteBufAllocator alloc;

    public ChannelRegistry(HomeExecutors homes, MessageLog log, AppletStore appletStore, PushMetrics metrics,
                           ByteBufAllocator alloc, Clock clock, RegistrySettings settings) {
        this.homes = requireNonNull(homes, "homes");
        this.log = requireNonNull(log, "log");
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
        this.settings = requireNonNull(settings, "settings");
        this.historyQuery = new HistoryQuery(log, settings.historyMaxBytes());
        this.alloc = requireNonNull(alloc, "alloc");
        this.frameBudget = new FrameBudget(settings.recentFramesMaxBytes());
        this.fanOut = new FanOut(alloc, metrics, settings.slowConsumerTimeout());
        this.applets = new AppletBoard(requireNonNull(appletStore, "appletStore"), fanOut, clock);
    }

    public RegistrySettings settings() {
        return settings;
    }

    /** Rooms with at least one member. */
    public long activeRooms() {
        return activeRooms.get();
    }

    /**
     * Adds {@code sub} to its channel and answers where the channel stands, with the first replay
     * page when {@code since} (nullable) can be resumed.
     */
    public void attach(Subscription sub, Position since, BiConsumer<Attachment, RuntimeException> onHome) {
        homes.call(sub.channel(), () -> attachOnHome(sub, since), onHome);
    }

    /** The next page of a replay, from {@code fromSeq} up to the channel's last seq at the time of reading. */
    public void readPage(String channel, long fromSeq, BiConsumer<ReplayPage, RuntimeException> onHome) {
        homes.call(channel, () -> page(channel, fromSeq, log.find(channel).map(ChannelMeta::lastSeq).orElse(0L)),
                onHome);
    }

    /**
     * Removes {@code sub} from its channel, then runs {@code onHome} on the home thread (so it is
     * ordered after any earlier attach of the same channel).
     */
    public void detach(Subscription sub, Runnable onHome) {
        String name = sub.channel();
        try {
            homes.homeOf(name).execute(() -> {
                ChannelState st = states.get(name);
                if (st != null) {
                    removeMember(st, sub);
                }
                onHome.run();
            });
        } catch (RejectedExecutionException e) {
            // Overloaded: the subscription is inactive already, so fan-out skips it; retry so the
            // member list does not keep it forever.
            if (!sub.connection().eventLoop().isShuttingDown()) {
                sub.connection().eventLoop().schedule(() -> detach(sub, onHome), 100, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Stores and fans out one message; the future completes on the channel's home thread (with a
     * {@link RejectedExecutionException} when the channel or its home is too busy). Publishes that
     * queue up while the home is busy are stored together, with one commit.
     */
    public CompletableFuture<PublishAck> publish(String channel, String kind, ByteString payload, String publisher,
                                                 String idempotencyKey) {
        CompletableFuture<PublishAck> result = new CompletableFuture<>();
        post(channel, new ChannelMailbox.Publish(kind, payload, publisher, idempotencyKey, result), result);
        return result;
    }

    /** Runs {@code work} on the channel's home in order with its publishes. */
    private <T> CompletableFuture<T> inOrder(String channel, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        post(channel, new ChannelMailbox.Change(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, result::completeExceptionally), result);
        return result;
    }

    private void post(String channel, ChannelMailbox.Item item, CompletableFuture<?> result) {
        ChannelState st = state(channel);
        if (!st.mailbox.offer(item)) {
            result.completeExceptionally(new RejectedExecutionException(channel + ": too many writes queued"));
        } else if (st.mailbox.claimDrain()) {
            try {
                homes.homeOf(channel).execute(() -> drain(st));
            } catch (RejectedExecutionException e) {
                failQueued(st, e);
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
            homes.homeOf(st.name).execute(() -> drain(st));
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
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    /** The home refused the drain: everything queued fails as busy. */
    private void failQueued(ChannelState st, RejectedExecutionException e) {
        do {
            for (ChannelMailbox.Item item : st.mailbox.take(Integer.MAX_VALUE)) {
                if (item instanceof ChannelMailbox.Publish p) {
                    p.result().completeExceptionally(e);
                } else {
                    ((ChannelMailbox.Change) item).refuse().accept(e);
                }
            }
        } while (st.mailbox.continueDrain());
    }

    /** On the home: all or none of the batch's new messages are stored; repeated keys get the first answer. */
    private void storeAndFanOut(ChannelState st, List<ChannelMailbox.Publish> batch) {
        long now = clock.millis();
        List<Message> drafts = new ArrayList<>(batch.size());
        List<ChannelMailbox.Publish> stored = new ArrayList<>(batch.size());
        // Keys stored by this batch, each with the later publishes that repeat it (rare: made on first use).
        Map<String, List<ChannelMailbox.Publish>> repeats = null;
        for (ChannelMailbox.Publish p : batch) {
            String key = p.idempotencyKey();
            PublishAck earlier = key.isEmpty() ? null : st.idempotency.find(key, now);
            if (earlier != null) {
                p.result().complete(earlier);
            } else if (repeats != null && repeats.containsKey(key)) {
                repeats.get(key).add(p);
            } else {
                drafts.add(Message.newBuilder().setKind(p.kind()).setPayload(p.payload()).setPublisher(p.publisher())
                        .setTimestampMs(now).build());
                stored.add(p);
                if (!key.isEmpty()) {
                    repeats = repeats == null ? new HashMap<>() : repeats;
                    repeats.put(key, new ArrayList<>(0));
                }
            }
        }
        List<Message> messages = log.appendAll(st.name, drafts);
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            metrics.published();
            fanOut.deliver(st, m);
            PublishAck ack = PublishAck.newBuilder().setChannel(st.name).setEpoch(m.getEpoch()).setSeq(m.getSeq()).build();
            String key = stored.get(i).idempotencyKey();
            if (!key.isEmpty()) {
                st.idempotency.remember(key, ack, now);
                repeats.get(key).forEach(p -> p.result().complete(ack));
            }
            stored.get(i).result().complete(ack);
        }
    }

    /**
     * Compare-and-set of an applet's running content ({@code expectedVersion} 0 = any), ordered with
     * the room's messages; the new state is pushed to everyone following the room. Fails with
     * {@link io.livepush.server.applet.VersionConflictException} on a stale {@code expectedVersion}.
     */
    public CompletableFuture<AppletState> updateApplet(String room, String appletId, ByteString content,
                                                       long expectedVersion) {
        return inOrder(room, () -> applets.update(states.get(room), room, appletId, content, expectedVersion));
    }

    /** The room's applets newer than {@code knownVersion}: one, or all when {@code appletId} is empty. */
    public CompletableFuture<List<AppletState>> applets(String room, String appletId, long knownVersion) {
        return onHome(room, () -> applets.newerThan(room, appletId, knownVersion));
    }

    /** History with a have-set; {@code limit} 0 or above the server cap means the cap. */
    public CompletableFuture<HistoryResult> history(String channel, long sinceSeq, List<SeqRange> have, int limit) {
        int capped = limit <= 0 ? settings.historyLimit() : Math.min(limit, settings.historyLimit());
        return onHome(channel, () -> historyQuery.run(channel, log.open(channel), sinceSeq, have, capped));
    }

    /** Where the channel stands, or empty when it has neither history nor members. */
    public CompletableFuture<Optional<ChannelInfo>> info(String channel) {
        return onHome(channel, () -> {
            Optional<ChannelMeta> meta = log.find(channel);
            ChannelState st = states.get(channel);
            if (meta.isEmpty()) {
                return Optional.empty();
            }
            ChannelMeta m = meta.get();
            return Optional.of(new ChannelInfo(channel, m.epoch(), m.firstSeq(), m.lastSeq(),
                    st == null ? 0 : st.roomMembers(), st == null ? 0 : st.subscribers()));
        });
    }

    /** Starts the periodic age-retention sweep: each home trims the channels it owns. */
    public void scheduleRetentionSweep(long periodMs) {
        for (EventExecutor home : homes.executors()) {
            home.scheduleAtFixedRate(() -> {
                for (String name : log.channels()) {
                    if (homes.homeOf(name) == home) {
                        log.trimExpired(name);
                    }
                }
            }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    private Attachment attachOnHome(Subscription sub, Position since) {
        String name = sub.channel();
        ChannelState st = state(name);
        ChannelMeta meta = log.open(name);
        addMember(st, sub);
        boolean recovered = since != null && resumable(meta, since);
        int replayed = recovered ? (int) Math.min(meta.lastSeq() - since.getSeq(), Integer.MAX_VALUE) : 0;
        ReplayPage page = replayed > 0 ? page(name, since.getSeq() + 1, meta.lastSeq()) : ReplayPage.EMPTY;
        return new Attachment(meta.epoch(), meta.lastSeq(), st.roomMembers(), st.subscribers(),
                recovered, replayed, page,
                sub.isRoom() ? applets.all(name) : List.of());
    }

    private static boolean resumable(ChannelMeta meta, Position since) {
        long seq = since.getSeq();
        // seq < 0 is a uint64 above Long.MAX_VALUE: never a position this store handed out.
        return since.getEpoch().equals(meta.epoch()) && seq >= 0 && seq <= meta.lastSeq()
                && seq + 1 >= meta.firstSeq();
    }

    /** Recent messages come from the frames fan-out encoded; older ones from the store, encoded here. */
    private ReplayPage page(String channel, long fromSeq, long lastSeq) {
        if (fromSeq > lastSeq) {
            return ReplayPage.EMPTY;
        }
        List<ReplayFrame> frames = state(channel).recent.read(fromSeq, settings.replayPageSize());
        if (frames == null) {
            List<Message> messages = log.read(channel, fromSeq, lastSeq, settings.replayPageSize());
            frames = new ArrayList<>(messages.size());
            for (Message m : messages) {
                frames.add(new ReplayFrame(m.getSeq(),
                        Frames.encodeDelimited(alloc, ServerFrame.newBuilder().setMessage(m).build())));
            }
        }
        boolean more = !frames.isEmpty() && frames.get(frames.size() - 1).seq() < lastSeq;
        return new ReplayPage(frames, more);
    }

    /** Releases every channel's recent frames; call once the homes have stopped. */
    public void releaseRecentFrames() {
        states.values().forEach(st -> st.recent.clear());
    }

    private void addMember(ChannelState st, Subscription sub) {
        int before = st.roomMembers();
        st.add(sub);
        if (before == 0 && st.roomMembers() == 1) {
            activeRooms.incrementAndGet();
        }
    }

    private void removeMember(ChannelState st, Subscription sub) {
        int before = st.roomMembers();
        st.remove(sub);
        if (before == 1 && st.roomMembers() == 0) {
            activeRooms.decrementAndGet();
        }
    }

    private ChannelState state(String name) {
        return states.computeIfAbsent(name, n -> new ChannelState(n,
                new IdempotencyCache(settings.idempotencyWindow().toMillis(), settings.idempotencyKeysPerChannel()), flushers,
                new RecentFrames(settings.recentFramesPerChannel(), frameBudget),
                new ChannelMailbox(settings.maxQueuedPublishes())));
    }

    private <T> CompletableFuture<T> onHome(String channel, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            homes.call(channel, work, (value, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }
}
