package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.SeqRange;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.store.AppletStore;
import io.livepush.server.store.ChannelMeta;
import io.livepush.server.store.MessageLog;
import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The channels: what the rest of the server asks of them. Every operation on a channel runs on the
 * channel's home thread, which alone assigns seqs, appends to the store and changes member lists;
 * its result comes back through a {@link Reply}. The work is split by job: {@link Membership}
 * (attach, detach, replay pages), {@link PublishPipeline} (writes), {@link ChannelStates} (what is
 * in memory) and {@link StoreMaintenance} (idle release, retention, eviction).
 */
public final class ChannelRegistry implements ChannelEngine {
    private final HomeExecutors homes;
    private final MessageLog log;
    private final RegistrySettings settings;
    private final ChannelStates states;
    private final FanOut fanOut;
    private final Membership membership;
    private final PublishPipeline publishes;
    private final HistoryQuery historyQuery;
    private final StoreMaintenance maintenance;

    public ChannelRegistry(
            HomeExecutors homes,
            MessageLog log,
            AppletStore applets,
            PushMetrics metrics,
            ByteBufAllocator alloc,
            Clock clock,
            RegistrySettings settings) {
        this.homes = requireNonNull(homes, "homes");
        this.log = requireNonNull(log, "log");
        this.settings = requireNonNull(settings, "settings");
        requireNonNull(metrics, "metrics");
        requireNonNull(clock, "clock");
        this.states = ChannelStates.of(homes, settings, clock, st -> {});
        this.fanOut = new FanOut(requireNonNull(alloc, "alloc"), metrics, settings.slowConsumerTimeout());
        this.membership = new Membership(
                states,
                homes,
                log,
                requireNonNull(applets, "applets"),
                alloc,
                clock,
                settings.replayPageSize(),
                metrics,
                fanOut);
        this.publishes = new PublishPipeline(states, log, fanOut, metrics, clock, settings);
        this.historyQuery = new HistoryQuery(log, settings.historyMaxBytes());
        this.maintenance = new StoreMaintenance(homes, states, log, metrics, clock);
    }

    /**
     * Starts the background sweeps: idle channel states (every quarter of the idle time, at most 5 s),
     * age retention (every hundredth of the retention age, 1 s to 5 min: each sweep reads the oldest
     * message of every channel that keeps more than one) and eviction when the store is over capacity.
     */
    @Override
    public void start() {
        long retentionSweepMs =
                Math.max(1_000, Math.min(settings.retentionMaxAge().toMillis() / 100, 300_000));
        maintenance.start(retentionSweepMs);
    }

    /** Rooms with at least one member. */
    @Override
    public long activeRooms() {
        return membership.followers().activeRooms();
    }

    /** Room members and subscribers, all channels together. */
    @Override
    public long subscriptions() {
        return membership.followers().followers();
    }

    /** Channel states in memory. */
    @Override
    public long activeChannels() {
        return states.active();
    }

    /** Where replays resume once a connection is writable again. */
    @Override
    public ReplayThenLive replay() {
        return membership.followers().replay();
    }

    /**
     * Adds {@code sub} to its channel. On the connection's loop, {@code answer} then writes the
     * joined/subscribed answer, and the replay asked for with {@code since} (nullable), or live
     * delivery, starts right after it; or {@code failed} gets why it could not.
     */
    @Override
    public void attach(Subscription sub, Position since, Consumer<Attachment> answer, Consumer<Throwable> failed) {
        membership.attach(sub, since, membership.followers().answerTo(sub, answer, failed));
    }

    @Override
    public void resume(Subscription sub, Position since, Consumer<Attachment> answer, Consumer<Throwable> failed) {
        membership.attach(sub, since, membership.followers().heldAnswerTo(sub, answer, failed));
    }

    /** Stops delivery to {@code sub} at once, takes it out of its channel, then runs {@code then} on its loop. */
    @Override
    public void detach(Subscription sub, Runnable then) {
        membership.followers().detach(sub, then);
    }

    @Override
    public void park(Subscription sub) {
        membership.followers().park(sub);
    }

    /** Stores and fans out one message; the ack (or a {@link java.util.concurrent.RejectedExecutionException} when busy) goes to {@code reply}. */
    @Override
    public void publish(
            String channel,
            String kind,
            ByteString payload,
            String publisher,
            String idempotencyKey,
            Reply<PublishAck> reply) {
        publishes.publish(channel, kind, payload, publisher, idempotencyKey, reply);
    }

    /**
     * Runs {@code work} on the channel's home in its place among the channel's publishes; what it
     * pushes reaches the channel's followers in that order (the embedded applets' compare-and-set).
     */
    public <T> void ordered(String channel, Function<ChannelPush, T> work, Reply<T> reply) {
        publishes.ordered(
                channel,
                st -> work.apply(frame -> {
                    if (st != null) {
                        fanOut.push(st, frame);
                    }
                }),
                reply);
    }

    /** Runs {@code work} on the channel's home, ordered with the channel's other operations. */
    public <T> void onHome(String channel, Supplier<T> work, Reply<T> reply) {
        homes.call(channel, work, reply);
    }

    /** History with a have-set; {@code limit} 0 or above the server cap means the cap. Reads only. */
    @Override
    public void history(String channel, long sinceSeq, List<SeqRange> have, int limit, Reply<HistoryResult> reply) {
        int capped = settings.historyCap(limit);
        homes.call(channel, () -> historyQuery.run(channel, metaOnHome(channel), sinceSeq, have, capped), reply);
    }

    /** Where the channel stands, or empty when it has neither history nor members. Reads only. */
    @Override
    public void info(String channel, Reply<Optional<ChannelInfo>> reply) {
        homes.call(
                channel,
                () -> {
                    ChannelState st = states.find(channel);
                    ChannelMeta meta = metaOnHome(channel);
                    boolean followed = st != null && st.hasMembers();
                    if (!meta.stored() && !followed) {
                        return Optional.empty();
                    }
                    return Optional.of(new ChannelInfo(
                            channel,
                            meta.epoch(),
                            meta.firstSeq(),
                            meta.lastSeq(),
                            st == null ? 0 : st.presentMembers(),
                            st == null ? 0 : st.subscribers()));
                },
                reply);
    }

    /** Stops the sweeps and releases every channel's recent frames; call once the homes have stopped. */
    @Override
    public void close() {
        maintenance.close();
        states.releaseAll();
    }

    private ChannelMeta metaOnHome(String channel) {
        ChannelState st = states.find(channel);
        return st != null ? st.meta(log) : log.current(channel);
    }
}
