package io.livepush.server.handler;

import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.ChannelResumed;
import io.livepush.proto.v1.Foregrounded;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.channel.Attachment;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.Subscription;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;
import java.util.List;

/**
 * One foreground's answer, on the connection's loop: waits until every followed channel was
 * attached again, writes {@code foregrounded}, then starts each channel's replay right behind it
 * ({@code ReplayThenLive#catchUp}). Until then live delivery skips the new subscriptions, and the
 * replays read on from where each attach stood, so nothing published meanwhile is lost or doubled.
 * If any channel fails, the connection stays in background mode and the client may send foreground again.
 */
final class ForegroundAnswer {
    private final Session session;
    private final int requestId;
    private final List<Subscription> previous;
    private final Subscription[] subs;
    private final ChannelResumed[] resumed;
    private final long[] afterSeqs;
    private final boolean[] failed;
    private final ChannelEngine registry;
    private final Replies replies;
    private final Failures failures;
    private List<AppletState> applets = List.of();
    private int waiting;
    private Throwable failure;

    ForegroundAnswer(
            Session session,
            int requestId,
            List<Subscription> previous,
            ChannelEngine registry,
            Replies replies,
            Failures failures) {
        this.session = session;
        this.requestId = requestId;
        this.previous = previous;
        this.registry = registry;
        this.replies = replies;
        this.failures = failures;
        int n = previous.size();
        this.subs = new Subscription[n];
        for (int i = 0; i < n; i++) {
            subs[i] = Subscription.replacing(previous.get(i));
        }
        this.resumed = new ChannelResumed[n];
        this.afterSeqs = new long[n];
        this.failed = new boolean[n];
        this.waiting = n;
    }

    /** The subscription that takes the place of the {@code i}th followed one. */
    Subscription subscription(int i) {
        return subs[i];
    }

    void arrived(int i, Attachment a) {
        a.release(); // the replay reads its pages afresh, with what is published while the answer waits
        Subscription sub = subs[i];
        resumed[i] = ChannelResumed.newBuilder()
                .setChannel(sub.channel())
                .setEpoch(a.epoch())
                .setLastSeq(a.lastSeq())
                .setRecovered(a.recovered())
                .setReplayed(a.replayed())
                .setMembers(a.members())
                .setRoom(sub.isRoom())
                .build();
        afterSeqs[i] = a.recovered() ? a.lastSeq() - a.replayed() : a.lastSeq();
        if (sub.isRoom()) {
            applets = a.applets();
        }
        done();
    }

    void failed(int i, Throwable error) {
        failed[i] = true;
        if (failure == null) {
            failure = error;
        }
        done();
    }

    private void done() {
        if (--waiting > 0) {
            return;
        }
        if (failure != null) {
            backToBackground();
            failures.answer(session.channel(), requestId, "foreground", failure);
            return;
        }
        replies.write(
                session.channel(),
                requestId,
                ServerFrame.newBuilder()
                        .setForegrounded(Foregrounded.newBuilder()
                                .addAllChannels(List.of(resumed))
                                .addAllApplets(applets)));
        for (int i = 0; i < subs.length; i++) {
            registry.replay().catchUp(subs[i], afterSeqs[i]);
        }
        session.channel().flush();
    }

    /** The channels that failed keep their parked subscriptions; the others are parked again. */
    private void backToBackground() {
        session.background(true);
        for (int i = 0; i < subs.length; i++) {
            Subscription sub = subs[i];
            if (!failed[i]) {
                registry.park(sub);
            } else if (session.room() == sub) {
                session.room(previous.get(i));
            } else if (session.subscription(sub.channel()) == sub) {
                session.subscriptions().put(sub.channel(), previous.get(i));
            }
        }
    }
}
