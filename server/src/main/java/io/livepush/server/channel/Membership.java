package io.livepush.server.channel;

import io.livepush.codec.Frames;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.store.AppletStore;
import io.livepush.server.store.ChannelMeta;
import io.livepush.server.store.MessageLog;
import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Who follows a channel: attach (join, subscribe, resume) and detach, on the channel's home, and the
 * replay pages a resuming member reads. Attaching reads the channel; it writes nothing to disk, so
 * joining a channel that never had a message costs memory only while someone is in it.
 */
final class Membership implements ReplayThenLive.Pages {
    /** A detach refused by a busy home is tried again after this long: the member list must not keep it. */
    private static final long DETACH_RETRY_MS = 100;

    private final ChannelStates states;
    private final HomeExecutors homes;
    private final MessageLog log;
    private final AppletStore applets;
    private final ByteBufAllocator alloc;
    private final Clock clock;
    private final int pageSize;
    private final AtomicLong activeRooms = new AtomicLong();
    private final AtomicLong followers = new AtomicLong();
    private final ReplayThenLive replay;

    Membership(
            ChannelStates states,
            HomeExecutors homes,
            MessageLog log,
            AppletStore applets,
            ByteBufAllocator alloc,
            Clock clock,
            int pageSize,
            PushMetrics metrics) {
        this.states = states;
        this.homes = homes;
        this.log = log;
        this.applets = applets;
        this.alloc = alloc;
        this.clock = clock;
        this.pageSize = pageSize;
        this.replay = new ReplayThenLive(this, metrics);
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
     * Adds {@code sub} to its channel; then, on the connection's loop, {@code answer} writes the
     * joined/subscribed answer and the replay (or live delivery) starts right behind it. A failure
     * ({@link RejectedExecutionException} when the home is busy) goes to {@code failed} instead.
     */
    void attach(Subscription sub, Position since, Consumer<Attachment> answer, Consumer<Throwable> failed) {
        homes.call(
                sub.channel(),
                () -> attachOnHome(sub, since),
                Reply.on(sub.connection().eventLoop(), (a, error) -> {
                    if (error != null) {
                        detach(sub, () -> {});
                        failed.accept(error);
                        return;
                    }
                    answer.accept(a);
                    replay.begin(sub, a);
                    sub.connection().flush(); // the answer and the first replay page in one write
                }));
    }

    /** Stops delivery to {@code sub} at once, then takes it out of its channel; {@code then} runs on its loop after. */
    void detach(Subscription sub, Runnable then) {
        ReplayThenLive.stop(sub);
        homes.call(
                sub.channel(),
                () -> {
                    ChannelState st = states.find(sub.channel());
                    if (st != null) {
                        removeMember(st, sub);
                    }
                    return null;
                },
                Reply.on(sub.connection().eventLoop(), (ignored, error) -> {
                    if (error instanceof RejectedExecutionException
                            && !sub.connection().eventLoop().isShuttingDown()) {
                        sub.connection()
                                .eventLoop()
                                .schedule(() -> detach(sub, then), DETACH_RETRY_MS, TimeUnit.MILLISECONDS);
                    } else {
                        then.run();
                    }
                }));
    }

    @Override
    public void read(Subscription sub, long fromSeq, Reply<ReplayPage> reply) {
        homes.call(
                sub.channel(),
                () -> {
                    ChannelState st = states.find(sub.channel());
                    ChannelMeta meta = st != null ? st.meta(log) : log.current(sub.channel());
                    return page(st, sub.channel(), meta, fromSeq);
                },
                reply);
    }

    private Attachment attachOnHome(Subscription sub, Position since) {
        ChannelState st = states.get(sub.channel());
        ChannelMeta meta = st.meta(log);
        addMember(st, sub);
        boolean recovered = since != null && resumable(meta, since);
        int replayed = recovered ? (int) Math.min(meta.lastSeq() - since.getSeq(), Integer.MAX_VALUE) : 0;
        ReplayPage page = replayed > 0 ? page(st, sub.channel(), meta, since.getSeq() + 1) : ReplayPage.EMPTY;
        List<AppletState> roomApplets = sub.isRoom() ? applets.list(sub.channel()) : List.of();
        return new Attachment(
                meta.epoch(),
                meta.lastSeq(),
                st.roomMembers(),
                st.subscribers(),
                recovered,
                replayed,
                page,
                roomApplets);
    }

    private static boolean resumable(ChannelMeta meta, Position since) {
        long seq = since.getSeq();
        // seq < 0 is a uint64 above Long.MAX_VALUE: never a position this store handed out.
        return since.getEpoch().equals(meta.epoch()) && seq >= 0 && seq <= meta.lastSeq() && seq + 1 >= meta.firstSeq();
    }

    /**
     * Messages from {@code fromSeq} to the channel's last seq now: from the frames fan-out encoded
     * when they are recent, else from the store, encoded here.
     */
    private ReplayPage page(ChannelState st, String channel, ChannelMeta meta, long fromSeq) {
        if (fromSeq > meta.lastSeq()) {
            return ReplayPage.EMPTY;
        }
        List<ReplayFrame> frames = st == null ? null : st.recent.read(fromSeq, pageSize);
        if (frames == null) {
            List<Message> messages = log.read(meta, channel, fromSeq, meta.lastSeq(), pageSize);
            frames = new ArrayList<>(messages.size());
            for (Message m : messages) {
                frames.add(new ReplayFrame(
                        m.getSeq(),
                        Frames.encodeDelimited(
                                alloc, ServerFrame.newBuilder().setMessage(m).build())));
            }
        }
        boolean more = !frames.isEmpty() && frames.get(frames.size() - 1).seq() < meta.lastSeq();
        return new ReplayPage(frames, more);
    }

    private void addMember(ChannelState st, Subscription sub) {
        int before = st.roomMembers();
        st.add(sub);
        followers.incrementAndGet();
        if (before == 0 && st.roomMembers() == 1) {
            activeRooms.incrementAndGet();
        }
    }

    private void removeMember(ChannelState st, Subscription sub) {
        int before = st.roomMembers();
        int followed = st.roomMembers() + st.subscribers();
        st.remove(sub);
        if (st.roomMembers() + st.subscribers() < followed) {
            followers.decrementAndGet();
        }
        if (before == 1 && st.roomMembers() == 0) {
            activeRooms.decrementAndGet();
        }
        st.lastActiveMs = clock.millis(); // idle from the last member's leaving, not from the last publish
    }
}
