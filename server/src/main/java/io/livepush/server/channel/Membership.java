package io.livepush.server.channel;

import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.store.AppletStore;
import io.livepush.server.store.ChannelMeta;
import io.livepush.server.store.MessageLog;
import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Who follows a channel of the embedded store: attach (join, subscribe, resume) on the channel's
 * home, and the replay pages a resuming member reads. Attaching reads the channel; it writes nothing to disk, so
 * joining a channel that never had a message costs memory only while someone is in it.
 */
final class Membership implements ReplayThenLive.Pages {
    private final ChannelStates states;
    private final HomeExecutors homes;
    private final MessageLog log;
    private final AppletStore applets;
    private final ByteBufAllocator alloc;
    private final int pageSize;
    private final Followers followers;

    Membership(
            ChannelStates states,
            HomeExecutors homes,
            MessageLog log,
            AppletStore applets,
            ByteBufAllocator alloc,
            Clock clock,
            int pageSize,
            PushMetrics metrics,
            FanOut fanOut) {
        this.states = states;
        this.homes = homes;
        this.log = log;
        this.applets = applets;
        this.alloc = alloc;
        this.pageSize = pageSize;
        this.followers = new Followers(
                states,
                homes,
                clock,
                new ReplayThenLive(this, metrics),
                ClusterPresence.NONE,
                new MemberEvents(fanOut, clock, ClusterPresence.NONE, MemberEvents.Announcer.NONE));
    }

    Followers followers() {
        return followers;
    }

    /**
     * Adds {@code sub} to its channel; then, on the connection's loop, {@code reply} ({@link
     * Followers#answerTo}) gets where the channel stands, or why not
     * ({@link java.util.concurrent.RejectedExecutionException} when the home is busy).
     */
    void attach(Subscription sub, Position since, Reply<Attachment> reply) {
        homes.call(sub.channel(), () -> attachOnHome(sub, since), reply);
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
        boolean recovered = since != null && resumable(meta, since);
        int replayed = recovered ? (int) Math.min(meta.lastSeq() - since.getSeq(), Integer.MAX_VALUE) : 0;
        List<AppletState> roomApplets = sub.isRoom() ? applets.list(sub.channel()) : List.of();
        ReplayPage page = replayed > 0 ? page(st, sub.channel(), meta, since.getSeq() + 1) : ReplayPage.EMPTY;
        // Added after the reads that may fail: a failed attach changes nothing (a foreground's predecessor stays).
        followers.add(st, sub);
        return new Attachment(
                meta.epoch(),
                meta.lastSeq(),
                st.presentMembers(),
                st.subscribers(),
                recovered,
                replayed,
                page,
                roomApplets);
    }

    private static boolean resumable(ChannelMeta meta, Position since) {
        return new LogHead(meta.epoch(), meta.firstSeq(), meta.lastSeq()).canResume(since.getEpoch(), since.getSeq());
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
                frames.add(ReplayFrame.of(alloc, m));
            }
        }
        boolean more = !frames.isEmpty() && frames.get(frames.size() - 1).seq() < meta.lastSeq();
        return new ReplayPage(frames, more);
    }
}
