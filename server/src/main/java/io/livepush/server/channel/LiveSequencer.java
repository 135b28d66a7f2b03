package io.livepush.server.channel;

import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.CloseReason;
import io.livepush.server.metrics.PushMetrics;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link SharedLog}'s live feed into delivery by seq, per channel on its home: the next seq goes
 * out, an older one is dropped, and a gap (the feed is at most once) is filled with one read of the log
 * for the node, not one per member, before delivery goes on. A quiet channel's tail is compared with
 * the log's head now and then, so that a lost last message is noticed too.
 *
 * <p>If the log lost the channel (its epoch changed), the members here are sent away: they come back
 * with their position and learn that it cannot be recovered. If it lost only messages this node delivered
 * (its head is behind them, or it has another message under one of their seqs), the node first has the log
 * start the channel again under a new epoch: a seq is never given to a second message.
 */
final class LiveSequencer implements SharedLog.Feed {
    /** A followed channel whose feed was quiet this long has its tail compared with the log's. */
    static final long TAIL_CHECK_MS = 2_000;
    /** Tail checks per home per sweep, so that a node with many quiet channels spreads them out. */
    private static final int TAIL_CHECKS_PER_SWEEP = 500;

    private static final int FILL_BATCH = 1_000;
    private static final Logger log = LoggerFactory.getLogger(LiveSequencer.class);

    private final SharedLog sharedLog;
    private final ChannelStates states;
    private final FanOut fanOut;
    private final MemberEvents memberEvents;
    private final PushMetrics metrics;
    private final Clock clock;

    LiveSequencer(
            SharedLog sharedLog,
            ChannelStates states,
            FanOut fanOut,
            MemberEvents memberEvents,
            PushMetrics metrics,
            Clock clock) {
        this.sharedLog = sharedLog;
        this.memberEvents = memberEvents;
        this.states = states;
        this.fanOut = fanOut;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * On the home: runs {@code attach} once this node follows the channel and knows where it stands
     * (at once when it already does); {@code failed} if the feed or the head could not be had.
     */
    void whenOpen(ChannelState st, Runnable attach, Consumer<Throwable> failed) {
        if (st.live == null) {
            LiveSequence seq = new LiveSequence();
            st.live = seq;
            sharedLog
                    .follow(st.name)
                    .thenCompose(ignored -> sharedLog.head(st.name))
                    .whenComplete((head, error) -> onHome(st, () -> {
                        if (error != null) {
                            st.live = null;
                            sharedLog.unfollow(st.name);
                            seq.abandon(error).forEach(Runnable::run);
                            return;
                        }
                        List<Message> held = seq.takeHeld();
                        // The waiting attaches first: a member's answer comes before the messages after it.
                        seq.open(head, clock.millis()).forEach(Runnable::run);
                        held.forEach(m -> accept(st, seq, m));
                        pushDueApplets(st, seq);
                    }));
        }
        LiveSequence seq = st.live;
        seq.whenOpen(() -> {
            if (st.live == seq) {
                attach.run();
            } else {
                failed.accept(seq.failure()); // abandoned: its state was released, or following failed
            }
        });
    }

    /** On the home, when its state is released: no member here follows the channel any more. */
    void released(ChannelState st) {
        if (st.live != null) {
            st.live = null;
            sharedLog.unfollow(st.name);
        }
    }

    @Override
    public void message(String channel, Message message) {
        ChannelState st = states.find(channel);
        if (st != null) {
            // A home too busy to take it loses it as the feed can: the next message or a tail check reads it back.
            HomeExecutors.executeOrDrop(st.home, () -> {
                LiveSequence seq = st.live;
                if (seq == null) {
                    return;
                }
                if (!seq.open()) {
                    seq.hold(message);
                } else {
                    accept(st, seq, message);
                }
            });
        }
    }

    @Override
    public void applet(String room, long afterSeq, AppletState state) {
        ChannelState st = states.find(room);
        if (st != null) {
            // Lost when the home is too busy: the members see a version gap and ask AppletSync.
            HomeExecutors.executeOrDrop(st.home, () -> {
                LiveSequence seq = st.live;
                if (seq == null) {
                    return;
                }
                if (seq.appletMustWait(afterSeq)) {
                    seq.holdApplet(afterSeq, state);
                    pushDueApplets(st, seq);
                } else {
                    push(st, seq, state);
                }
            });
        }
    }

    private void pushDueApplets(ChannelState st, LiveSequence seq) {
        if (seq.open()) {
            for (AppletState a : seq.appletsDue()) {
                push(st, seq, a);
            }
        }
    }

    private void push(ChannelState st, LiveSequence seq, AppletState state) {
        seq.pushed(state);
        fanOut.push(st, ServerFrame.newBuilder().setApplet(state).build());
    }

    @Override
    public void followed(String channel) {
        ChannelState st = states.find(channel);
        if (st != null) {
            onHome(st, () -> {
                if (st.live != null && st.live.open()) {
                    checkTail(st, st.live);
                }
            });
        }
    }

    @Override
    public void memberEvent(String room, ServerFrame event) {
        ChannelState st = states.find(room);
        if (st != null) {
            HomeExecutors.executeOrDrop(st.home, () -> memberEvents.relayed(st, event)); // at most once, as the feed
        }
    }

    /** Starts each home's tail checks of its quiet channels. */
    void start(Iterable<EventExecutor> homes) {
        long periodMs = TAIL_CHECK_MS / 2;
        for (EventExecutor home : homes) {
            home.scheduleAtFixedRate(() -> checkQuietTails(home), periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    private void checkQuietTails(EventExecutor home) {
        long now = clock.millis();
        int budget = TAIL_CHECKS_PER_SWEEP;
        for (ChannelState st : states.on(home)) {
            LiveSequence seq = st.live;
            if (budget > 0
                    && seq != null
                    && seq.open()
                    && !seq.filling
                    && st.hasMembers()
                    && now - seq.lastCheckedMs >= TAIL_CHECK_MS) {
                budget--;
                seq.lastCheckedMs = now;
                checkTail(st, seq);
            }
        }
    }

    private void checkTail(ChannelState st, LiveSequence seq) {
        // The head is read after this node delivered this seq, so it can only be behind it if the log lost it;
        // compared with what was delivered by the time it is read back, it would be stale.
        long delivered = seq.lastSeq;
        String epoch = seq.epoch;
        sharedLog
                .head(st.name)
                .whenComplete((head, error) -> onHome(st, () -> {
                    if (error != null || st.live != seq) {
                        return; // tried again at the next sweep
                    }
                    if (!head.epoch().equals(seq.epoch)) {
                        restart(st, seq, head.epoch());
                    } else if (head.lastSeq() > seq.lastSeq) {
                        fill(st, seq);
                    } else if (head.lastSeq() < delivered && epoch.equals(seq.epoch)) {
                        lostTail(st, seq, "it stands at seq " + head.lastSeq());
                    }
                }));
    }

    private void accept(ChannelState st, LiveSequence seq, Message m) {
        if (!m.getEpoch().equals(seq.epoch)) {
            restart(st, seq, m.getEpoch());
        }
        long s = m.getSeq();
        if (s == seq.lastSeq + 1) {
            deliver(st, seq, m);
            drainHeld(st, seq);
        } else if (s > seq.lastSeq + 1) {
            seq.hold(m);
            fill(st, seq);
        } else if (seq.contradicts(m)) {
            lostTail(st, seq, "it sent another message under seq " + s);
        } // else delivered already, by a fill that got there first
    }

    /**
     * The log no longer has messages this node delivered (a failover to a replica that had not got them), so it
     * may give their seqs to other messages: the channel must start again under a new epoch. The first node to
     * notice makes the log do so; every node then sends its members away, as when the log lost the channel.
     */
    private void lostTail(ChannelState st, LiveSequence seq, String evidence) {
        if (seq.resetting) {
            return;
        }
        seq.resetting = true;
        log.warn(
                "the shared log lost the tail of {} in epoch {} ({}; this node delivered up to seq {}): "
                        + "starting it again under a new epoch",
                st.name,
                seq.epoch,
                evidence,
                seq.lastSeq);
        sharedLog
                .reset(st.name, seq.epoch)
                .whenComplete((head, error) -> onHome(st, () -> {
                    seq.resetting = false;
                    if (error != null) {
                        log.debug(
                                "resetting {} failed (tried again at the next tail check): {}",
                                st.name,
                                error.toString());
                    } else if (st.live == seq && !head.epoch().equals(seq.epoch)) {
                        restart(st, seq, head.epoch());
                    }
                }));
    }

    private void deliver(ChannelState st, LiveSequence seq, Message m) {
        seq.delivered(m);
        seq.lastCheckedMs = clock.millis();
        fanOut.deliver(st, List.of(m));
        pushDueApplets(st, seq);
    }

    private void drainHeld(ChannelState st, LiveSequence seq) {
        Message next;
        while ((next = seq.nextHeld()) != null) {
            deliver(st, seq, next);
        }
    }

    /** Reads what the node missed after its last seq; one read per channel at a time. */
    private void fill(ChannelState st, LiveSequence seq) {
        if (seq.filling) {
            return;
        }
        seq.filling = true;
        long after = seq.lastSeq;
        metrics.logRead();
        sharedLog
                // From the last seq delivered: the log must still hold that very message (see lostTail).
                .read(st.name, Math.max(0, after - 1), FILL_BATCH)
                .whenComplete((messages, error) -> onHome(st, () -> {
                    seq.filling = false;
                    if (st.live != seq) {
                        return;
                    }
                    if (error != null) {
                        log.debug(
                                "filling a gap of {} failed (tried again with the next message): {}",
                                st.name,
                                error.toString());
                        return;
                    }
                    for (Message m : messages) {
                        if (!m.getEpoch().equals(seq.epoch)) {
                            restart(st, seq, m.getEpoch());
                            return;
                        }
                        if (m.getSeq() <= seq.lastSeq) {
                            if (seq.contradicts(m)) {
                                lostTail(st, seq, "it holds another message under seq " + m.getSeq());
                                return;
                            }
                        } else {
                            if (m.getSeq() > seq.lastSeq + 1) {
                                metrics.messagesLost(m.getSeq() - seq.lastSeq - 1); // trimmed before it was read
                            }
                            metrics.gapsFilled(1);
                            deliver(st, seq, m);
                            drainHeld(st, seq);
                        }
                    }
                    long firstHeld = seq.firstHeld();
                    if (firstHeld > seq.lastSeq + 1) {
                        if (seq.lastSeq > after) {
                            fill(st, seq); // progress, and still a gap: read on
                        } else {
                            // The log has nothing between: gone (trimmed) before this node could read it.
                            metrics.messagesLost(firstHeld - seq.lastSeq - 1);
                            seq.lastSeq = firstHeld - 1;
                            drainHeld(st, seq);
                        }
                    }
                }));
    }

    /**
     * The log lost the channel and started it again under {@code epoch}: nothing delivered here so far
     * can be continued. The members are sent away to resume, which tells them so ({@code recovered =
     * false}); the node follows the new epoch from its start.
     */
    private void restart(ChannelState st, LiveSequence seq, String epoch) {
        log.warn(
                "the shared log lost {}: epoch {} replaced {}; its members here are sent away",
                st.name,
                epoch,
                seq.epoch);
        for (LoopMembers g : st.groups()) {
            Subscription[] members = g.snapshot();
            try {
                g.loop.execute(() -> {
                    for (Subscription s : members) {
                        if (s.active) {
                            SlowConsumerEviction.sendAway(
                                    s.connection(), CloseReason.HISTORY_RESET, "channel history was reset: resume");
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                // that loop is shutting down with its connections
            }
        }
        seq.takeHeld();
        seq.dropHeldApplets();
        seq.restart(epoch);
    }

    private static void onHome(ChannelState st, Runnable work) {
        HomeExecutors.executeSurely(st.home, work);
    }
}
