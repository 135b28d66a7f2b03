package io.livepush.server.channel;

import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The live channels: a channel's state is made on first use and released on its home once it has
 * had no member, no queued write and no publish for the idle time, and its idempotency keys have
 * expired. Memory follows what is live, not every channel ever seen; what a released channel
 * knew is on disk (its metadata and history) or was only a cache (recent frames).
 *
 * <p>Only writes reach a state from other threads (through its mailbox); everything else runs on the
 * home, in order with the release, which closes the mailbox first: a writer that finds it closed
 * comes back for the channel's next state.
 */
final class ChannelStates {
    private final ConcurrentHashMap<String, ChannelState> states = new ConcurrentHashMap<>();
    private final Function<String, ChannelState> factory;
    private final Consumer<ChannelState> onRelease;
    private final Clock clock;
    private final long idleMs;
    private final long softMax;

    /**
     * @param softMax above this many states, one that nothing needs (no member, nothing queued, no
     *     live idempotency key) is released at the next sweep without waiting for the idle time: a
     *     publisher writing to millions of new channels cannot make memory grow with the idle time
     */
    /** @param released runs on the home for each state released, after it is gone from here */
    ChannelStates(
            Clock clock,
            long idleMs,
            long softMax,
            Function<String, ChannelState> factory,
            Consumer<ChannelState> released) {
        this.clock = clock;
        this.idleMs = idleMs;
        this.softMax = softMax;
        this.factory = factory;
        this.onRelease = released;
    }

    /**
     * The states of a node's channels as {@code settings} size them, each with its home.
     *
     * @param released runs on the home for each state released
     */
    static ChannelStates of(
            HomeExecutors homes, RegistrySettings settings, Clock clock, Consumer<ChannelState> released) {
        FrameBudget frameBudget = new FrameBudget(settings.recentFramesMaxBytes());
        LoopFlushers flushers = new LoopFlushers();
        return new ChannelStates(
                clock,
                settings.channelIdle().toMillis(),
                settings.channelStatesSoftMax(),
                name -> new ChannelState(
                        name,
                        homes.homeOf(name),
                        new RecentFrames(settings.recentFramesPerChannel(), frameBudget),
                        flushers,
                        clock.millis(),
                        settings.countsPresence().test(name),
                        settings.joinLeaveEvents().test(name)),
                released);
    }

    /** Every quarter of the idle time (at most 5 s), each home releases its idle states. */
    void startReleasing(HomeExecutors homes) {
        long sweepMs = Math.max(1, Math.min(idleMs / 4, 5_000));
        for (EventExecutor home : homes.executors()) {
            home.scheduleWithFixedDelay(() -> releaseIdle(home), sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The channel's state, made if needed; from any thread, for a write into its mailbox. */
    ChannelState get(String name) {
        return states.computeIfAbsent(name, factory);
    }

    /** After a write found {@code st} closed: its release is under way; the next state replaces it. */
    ChannelState replace(ChannelState st) {
        states.remove(st.name, st);
        return get(st.name);
    }

    /** The channel's state if it is live, else null; on its home. */
    ChannelState find(String name) {
        return states.get(name);
    }

    /** States in memory. */
    long active() {
        return states.size();
    }

    /**
     * On {@code home}: releases its idle channels. Scans every live state, so it runs every few
     * seconds, not per operation.
     */
    int releaseIdle(EventExecutor home) {
        long now = clock.millis();
        long idleAfterMs = states.size() > softMax ? 0 : idleMs;
        List<ChannelState> idle = new ArrayList<>();
        for (ChannelState st : states.values()) {
            if (st.home == home && isIdle(st, now, idleAfterMs)) {
                idle.add(st);
            }
        }
        int released = 0;
        for (ChannelState st : idle) {
            if (st.mailbox.close()) {
                states.remove(st.name, st);
                st.recent.clear();
                onRelease.accept(st);
                released++;
            }
        }
        return released;
    }

    /** The live states whose home is {@code home}, for a sweep on it. */
    List<ChannelState> on(EventExecutor home) {
        List<ChannelState> mine = new ArrayList<>();
        for (ChannelState st : states.values()) {
            if (st.home == home) {
                mine.add(st);
            }
        }
        return mine;
    }

    /** On shutdown, once the homes have stopped: gives back every state's buffers. */
    void releaseAll() {
        states.values().forEach(st -> st.recent.clear());
    }

    private static boolean isIdle(ChannelState st, long now, long idleAfterMs) {
        IdempotencyCache keys = st.idempotencyIfAny();
        return !st.hasMembers() && now - st.lastActiveMs >= idleAfterMs && (keys == null || keys.isEmpty(now));
    }
}
