package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.SeqRange;
import io.livepush.server.channel.ClusterPresence.Counts;
import io.livepush.server.metrics.PushMetrics;
import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The channels of a node in a cluster: seqs, history and the live feed come from a {@link SharedLog}
 * that every node uses; members, fan-out and replay are this node's, the same as with the embedded
 * store. A node follows a channel's feed once, however many members it has here, from the first
 * attach until the channel's state is released, and delivers it by seq ({@link LiveSequencer}).
 *
 * <p>Attach: the node starts following, reads where the channel stands, then answers; a resume checks
 * the client's position against the log's head and replays from the log (or the recent frames),
 * merged with live delivery by seq as on one node ({@link ReplayThenLive}).
 */
public final class SharedLogChannels implements ChannelEngine {
    private final HomeExecutors homes;
    private final SharedLog log;
    private final PushMetrics metrics;
    private final ByteBufAllocator alloc;
    private final RegistrySettings settings;
    private final ChannelStates states;
    private final FanOut fanOut;
    private final LiveSequencer sequencer;
    private final Followers followers;
    private final SharedHistory historyQuery;
    private final ClusterPresence presence;

    public SharedLogChannels(
            HomeExecutors homes,
            SharedLog log,
            ClusterPresence presence,
            PushMetrics metrics,
            ByteBufAllocator alloc,
            Clock clock,
            RegistrySettings settings) {
        this.homes = requireNonNull(homes, "homes");
        this.log = requireNonNull(log, "log");
        this.presence = requireNonNull(presence, "presence");
        this.metrics = requireNonNull(metrics, "metrics");
        this.alloc = requireNonNull(alloc, "alloc");
        this.settings = requireNonNull(settings, "settings");
        requireNonNull(clock, "clock");
        this.states = ChannelStates.of(homes, settings, clock, st -> released(st));
        this.fanOut = new FanOut(alloc, metrics, settings.slowConsumerTimeout());
        MemberEvents memberEvents = new MemberEvents(fanOut, clock, presence, log::announce);
        this.sequencer = new LiveSequencer(log, states, fanOut, memberEvents, metrics, clock);
        this.followers = new Followers(
                states, homes, clock, new ReplayThenLive(this::readPage, metrics), presence, memberEvents);
        this.historyQuery = new SharedHistory(log, metrics, settings.historyMaxBytes());
        log.feedTo(sequencer);
    }

    @Override
    public void attach(Subscription sub, Position since, Consumer<Attachment> answer, Consumer<Throwable> failed) {
        attach(sub, since, followers.answerTo(sub, answer, failed));
    }

    @Override
    public void resume(Subscription sub, Position since, Consumer<Attachment> answer, Consumer<Throwable> failed) {
        attach(sub, since, followers.heldAnswerTo(sub, answer, failed));
    }

    private void attach(Subscription sub, Position since, Reply<Attachment> reply) {
        try {
            homes.homeOf(sub.channel()).execute(() -> attachOnHome(states.get(sub.channel()), sub, since, reply));
        } catch (RejectedExecutionException e) {
            reply.fail(e);
        }
    }

    /**
     * On the home: once the node follows the channel, reads what the answer needs from the log (the room's
     * applets; with a position of the node's epoch, the log's head) and the other nodes' presence, then
     * {@link #finishAttach} adds the member and answers in one home task, so that nothing live reaches it before its
     * answer.
     */
    private void attachOnHome(ChannelState st, Subscription sub, Position since, Reply<Attachment> reply) {
        sequencer.whenOpen(
                st,
                () -> {
                    LiveSequence seq = st.live;
                    CompletableFuture<List<AppletState>> roomApplets = sub.isRoom()
                            ? log.applets(st.name).toCompletableFuture()
                            : CompletableFuture.completedFuture(List.of());
                    CompletableFuture<LogHead> head =
                            since != null && since.getEpoch().equals(seq.epoch)
                                    ? log.head(st.name).toCompletableFuture()
                                    : CompletableFuture.completedFuture(null);
                    roomApplets
                            .thenCombine(head, (applets, h) -> new Read(applets, h, Counts.ZERO))
                            .thenCombine(othersOf(st.name), Read::withOthers)
                            .whenComplete((read, error) -> HomeExecutors.executeSurely(st.home, () -> {
                                if (error != null) {
                                    reply.fail(unwrap(error));
                                } else {
                                    finishAttach(st, sub, since, read, reply);
                                }
                            }));
                },
                reply::fail);
    }

    private record Read(List<AppletState> applets, LogHead head, Counts others) {
        Read withOthers(Counts counts) {
            return new Read(applets, head, counts);
        }
    }

    /** The other nodes' counts; this node's alone when they cannot be read (a join does not fail for presence). */
    private CompletableFuture<Counts> othersOf(String channel) {
        return presence.others(channel).toCompletableFuture().exceptionally(e -> Counts.ZERO);
    }

    private void finishAttach(ChannelState st, Subscription sub, Position since, Read read, Reply<Attachment> reply) {
        LiveSequence seq = st.live;
        if (states.find(st.name) != st || seq == null) {
            attachOnHome(states.get(st.name), sub, since, reply); // released meanwhile: again, on its next state
            return;
        }
        followers.add(st, sub); // nothing when it left before its answer: an answer it ignores
        List<AppletState> applets = seq.newest(read.applets());
        LogHead head = read.head();
        if (head == null || !head.epoch().equals(seq.epoch) || !head.canResume(since.getEpoch(), since.getSeq())) {
            reply.complete(attachment(st, read.others(), seq.lastSeq, false, 0, applets));
        } else {
            // The node may be behind the client (it saw later messages on another node) or ahead of it.
            long last = Math.max(seq.lastSeq, since.getSeq());
            reply.complete(attachment(st, read.others(), last, true, last - since.getSeq(), applets));
        }
    }

    private static Attachment attachment(
            ChannelState st,
            Counts others,
            long lastSeq,
            boolean recovered,
            long replayed,
            List<AppletState> roomApplets) {
        // Nothing read yet: the replay reads its first page as the next, once the answer is out.
        ReplayPage firstPage = replayed > 0 ? new ReplayPage(List.of(), true) : ReplayPage.EMPTY;
        return new Attachment(
                st.live.epoch,
                lastSeq,
                st.countsPresence ? st.roomMembers() + others.roomMembers() : 0,
                st.subscribers() + others.subscribers(),
                recovered,
                (int) Math.min(replayed, Integer.MAX_VALUE),
                firstPage,
                roomApplets);
    }

    /**
     * A replay page from {@code fromSeq} up to the node's last seq when the page is made: from the
     * recent frames when they hold it, else read from the log. Made on the home, so live frames of
     * later seqs reach the connection after it.
     */
    private void readPage(Subscription sub, long fromSeq, Reply<ReplayPage> reply) {
        try {
            homes.homeOf(sub.channel()).execute(() -> {
                ChannelState st = states.find(sub.channel());
                LiveSequence seq = st == null ? null : st.live;
                if (seq == null || !seq.open() || fromSeq > seq.lastSeq) {
                    reply.complete(ReplayPage.EMPTY);
                    return;
                }
                List<ReplayFrame> recent = st.recent.read(fromSeq, settings.replayPageSize());
                if (recent != null) {
                    reply.complete(page(recent, seq.lastSeq));
                    return;
                }
                metrics.logRead();
                log.read(st.name, fromSeq - 1, settings.replayPageSize())
                        .whenComplete((messages, error) -> HomeExecutors.executeSurely(
                                st.home, () -> pageRead(st, seq, fromSeq, messages, error, reply)));
            });
        } catch (RejectedExecutionException e) {
            reply.fail(e); // tried again shortly by the replay
        }
    }

    private void pageRead(
            ChannelState st,
            LiveSequence seq,
            long fromSeq,
            List<Message> read,
            Throwable error,
            Reply<ReplayPage> reply) {
        if (error != null) {
            reply.fail(unwrap(error));
            return;
        }
        if (st.live != seq
                || read.isEmpty()
                || read.get(0).getSeq() != fromSeq
                || !read.get(0).getEpoch().equals(seq.epoch)) {
            reply.fail(new IllegalStateException("the log no longer holds " + st.name + " seq " + fromSeq));
            return;
        }
        List<ReplayFrame> frames = new ArrayList<>(read.size());
        for (Message m : read) {
            if (m.getSeq() > seq.lastSeq || !m.getEpoch().equals(seq.epoch)) {
                break; // not delivered here yet: live delivery has it next
            }
            frames.add(ReplayFrame.of(alloc, m));
        }
        reply.complete(page(frames, seq.lastSeq));
    }

    private static ReplayPage page(List<ReplayFrame> frames, long lastSeq) {
        return new ReplayPage(
                frames, !frames.isEmpty() && frames.get(frames.size() - 1).seq() < lastSeq);
    }

    @Override
    public void detach(Subscription sub, Runnable then) {
        followers.detach(sub, then);
    }

    @Override
    public void park(Subscription sub) {
        followers.park(sub);
    }

    @Override
    public void publish(
            String channel,
            String kind,
            ByteString payload,
            String publisher,
            String idempotencyKey,
            Reply<PublishAck> reply) {
        // Straight to the log: it sequences; the node delivers the message when the feed brings it back.
        log.publish(channel, kind, payload, publisher, idempotencyKey).whenComplete((ack, error) -> {
            if (error != null) {
                reply.fail(unwrap(error));
            } else {
                metrics.published();
                reply.complete(ack);
            }
        });
    }

    @Override
    public void history(String channel, long sinceSeq, List<SeqRange> have, int limit, Reply<HistoryResult> reply) {
        historyQuery.run(channel, sinceSeq, have, settings.historyCap(limit)).whenComplete((result, error) -> {
            if (error != null) {
                reply.fail(unwrap(error));
            } else {
                reply.complete(result);
            }
        });
    }

    @Override
    public void info(String channel, Reply<Optional<ChannelInfo>> reply) {
        log.find(channel).thenCombine(othersOf(channel), InfoRead::new).whenComplete((read, error) -> {
            if (error != null) {
                reply.fail(unwrap(error));
                return;
            }
            homes.call(channel, () -> info(channel, read.head(), read.others()), reply);
        });
    }

    private record InfoRead(Optional<LogHead> head, Counts others) {}

    /** On the home: the log's head and the presence of every node. */
    private Optional<ChannelInfo> info(String channel, Optional<LogHead> head, Counts others) {
        ChannelState st = states.find(channel);
        Counts here = st == null ? Counts.ZERO : new Counts(st.presentMembers(), st.subscribers());
        Counts all = here.plus(others);
        if (head.isEmpty() && all.equals(Counts.ZERO)) {
            return Optional.empty();
        }
        LogHead h = head.orElseGet(() -> new LogHead(st == null || st.live == null ? "" : st.live.epoch, 1, 0));
        return Optional.of(
                new ChannelInfo(channel, h.epoch(), h.firstSeq(), h.lastSeq(), all.roomMembers(), all.subscribers()));
    }

    @Override
    public ReplayThenLive replay() {
        return followers.replay();
    }

    @Override
    public long activeRooms() {
        return followers.activeRooms();
    }

    @Override
    public long subscriptions() {
        return followers.followers();
    }

    @Override
    public long activeChannels() {
        return states.active();
    }

    @Override
    public void start() {
        states.startReleasing(homes);
        sequencer.start(homes.executors());
    }

    @Override
    public void close() {
        states.releaseAll();
    }

    private void released(ChannelState st) {
        sequencer.released(st);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
