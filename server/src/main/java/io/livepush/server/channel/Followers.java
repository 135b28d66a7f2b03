package io.livepush.server.channel;

import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Who follows the channels on this node, whichever engine keeps them: members are added and removed
 * on the channel's home, counted for presence (this node's counts go to the cluster's) and metrics, and answered on
 * their connection's loop.
 */
final class Followers {
    /** A detach or park refused by a busy home is tried again after this long: the member list must not keep it. */
    private static final long DETACH_RETRY_MS = 100;

    private final ChannelStates states;
    private final HomeExecutors homes;
    private final Clock clock;
    private final ReplayThenLive replay;
    private final ClusterPresence presence;
    private final MemberEvents events;
    private final AtomicLong activeRooms = new AtomicLong();
    private final AtomicLong followers = new AtomicLong();

    Followers(
            ChannelStates states,
            HomeExecutors homes,
            Clock clock,
            ReplayThenLive replay,
            ClusterPresence presence,
            MemberEvents events) {
        this.events = events;
        this.states = states;
        this.homes = homes;
        this.clock = clock;
        this.replay = replay;
        this.presence = presence;
    }

    ReplayThenLive replay() {
        return replay;
    }

    /** Rooms with at least one member. */
    long activeRooms() {
        return activeRooms.get();
    }

    /** Room members and subscribers, all channels together. */
    long followers() {
        return followers.get();
    }

    /**
     * Where an attach's answer goes: on the connection's loop, the joined/subscribed answer, then the
     * replay (or live delivery) right behind it; a failure takes the member out again.
     */
    Reply<Attachment> answerTo(Subscription sub, Consumer<Attachment> answer, Consumer<Throwable> failed) {
        return Reply.on(sub.connection().eventLoop(), (a, error) -> {
            if (error != null) {
                detach(sub, () -> {});
                failed.accept(error);
                return;
            }
            answer.accept(a);
            replay.begin(sub, a);
            sub.connection().flush(); // the answer and the first replay page in one write
        });
    }

    /**
     * Where a foreground's attach answer goes: as {@link #answerTo}, but delivery waits until the
     * connection's one answer for all its channels is out ({@link ReplayThenLive#catchUp}).
     */
    Reply<Attachment> heldAnswerTo(Subscription sub, Consumer<Attachment> answer, Consumer<Throwable> failed) {
        return Reply.on(sub.connection().eventLoop(), (a, error) -> {
            if (error != null) {
                abandon(sub);
                failed.accept(error);
            } else {
                answer.accept(a);
            }
        });
    }

    /** A foreground's subscription that failed before it took its predecessor's place: the predecessor stays. */
    private void abandon(Subscription sub) {
        ReplayThenLive.stop(sub);
        onHome(
                sub,
                st -> {
                    sub.replaces = null;
                    if (st != null) {
                        remove(st, sub);
                    }
                },
                () -> {});
    }

    /** Stops delivery to {@code sub} at once, then takes it out of its channel; {@code then} runs on its loop after. */
    void detach(Subscription sub, Runnable then) {
        ReplayThenLive.stop(sub);
        onHome(
                sub,
                st -> {
                    if (st != null) {
                        remove(st, sub);
                    }
                },
                then);
    }

    /**
     * Background mode: stops delivery to {@code sub} at once, then takes it out of its channel's fan-out,
     * still counted in presence. A foreground's {@link Subscription#replacing} brings it back.
     */
    void park(Subscription sub) {
        ReplayThenLive.stop(sub);
        onHome(
                sub,
                st -> {
                    if (st != null) {
                        st.park(sub);
                    }
                },
                () -> {});
    }

    /** Runs {@code work} with the channel's state (null when released) on its home, then {@code then} on the loop. */
    private void onHome(Subscription sub, Consumer<ChannelState> work, Runnable then) {
        homes.call(
                sub.channel(),
                () -> {
                    work.accept(states.find(sub.channel()));
                    return null;
                },
                Reply.on(sub.connection().eventLoop(), (ignored, error) -> {
                    if (error instanceof RejectedExecutionException
                            && !sub.connection().eventLoop().isShuttingDown()) {
                        // The member list must not keep it: try again shortly.
                        sub.connection()
                                .eventLoop()
                                .schedule(() -> onHome(sub, work, then), DETACH_RETRY_MS, TimeUnit.MILLISECONDS);
                    } else {
                        then.run();
                    }
                }));
    }

    /** On the home. A foreground's subscription takes its predecessor's place: presence does not change. */
    void add(ChannelState st, Subscription sub) {
        Subscription old = sub.replaces;
        if (old != null) {
            sub.replaces = null;
            if (old.replaces == null && st.remove(old)) {
                st.add(sub);
                return;
            }
            remove(st, old); // never took its own predecessor's place (foregrounds in a row): counted out as it goes
        }
        int before = st.roomMembers();
        if (!st.admits(sub)) {
            return; // it left before its attach got here
        }
        if (sub.isRoom()) {
            events.joined(st, sub, before + 1); // before the add: the joiner's own answer says it all
        }
        st.add(sub);
        followers.incrementAndGet();
        if (before == 0 && st.roomMembers() == 1) {
            activeRooms.incrementAndGet();
        }
        if (st.countsPresence) {
            presence.changed(st.name, st.roomMembers(), st.subscribers());
        }
    }

    private void remove(ChannelState st, Subscription sub) {
        Subscription old = sub.replaces;
        if (old != null) {
            sub.replaces = null; // it left before it took its predecessor's place: both go
            remove(st, old);
        }
        int before = st.roomMembers();
        if (st.remove(sub)) {
            followers.decrementAndGet();
            if (st.countsPresence) {
                presence.changed(st.name, st.roomMembers(), st.subscribers());
            }
            if (sub.isRoom()) {
                events.left(st, sub); // after the removal: to those who stay
            }
        }
        if (before == 1 && st.roomMembers() == 0) {
            activeRooms.decrementAndGet();
        }
        st.lastActiveMs = clock.millis(); // idle from the last member's leaving, not from the last publish
    }
}
