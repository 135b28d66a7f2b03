package io.livepush.server.handler;

import io.livepush.proto.v1.Backgrounded;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Foreground;
import io.livepush.proto.v1.Foregrounded;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.Subscription;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * Background mode (a viewer switched to another app and comes back). {@code Background} keeps the
 * connection in its room, presence and subscriptions but parks every one of them: fan-out no longer
 * sees it. {@code Foreground} resumes each channel from the client's position as a join with
 * {@code since} would, with one answer for all of them ({@link ForegroundAnswer}).
 */
final class BackgroundHandler {
    private final ChannelEngine registry;
    private final Replies replies;
    private final Failures failures;

    BackgroundHandler(ChannelEngine registry, Replies replies, Failures failures) {
        this.registry = registry;
        this.replies = replies;
        this.failures = failures;
    }

    /** A request that would add a channel waits for the foreground: its answer and replay would be live delivery. */
    static boolean refuses(Session s, Replies replies, int id) {
        if (!s.isBackground()) {
            return false;
        }
        replies.error(s.channel(), id, ErrorCode.BAD_REQUEST, "in background mode: send foreground first");
        return true;
    }

    void background(Session s, int id) {
        if (!s.isBackground()) {
            s.background(true);
            followed(s).forEach(registry::park);
        }
        // Parking stopped delivery on this loop: no live message follows this answer.
        replies.send(s.channel(), id, ServerFrame.newBuilder().setBackgrounded(Backgrounded.getDefaultInstance()));
    }

    void foreground(Session s, int id, Foreground req) {
        for (String channel : req.getSinceMap().keySet()) {
            if (followedAs(s, channel) == null) {
                replies.error(s.channel(), id, ErrorCode.BAD_REQUEST, "foreground: not following " + channel);
                return;
            }
        }
        List<Subscription> following = followed(s);
        if (following.isEmpty()) {
            s.background(false);
            replies.send(s.channel(), id, ServerFrame.newBuilder().setForegrounded(Foregrounded.getDefaultInstance()));
            return;
        }
        if (!s.isBackground()) {
            // Outside background mode it is answered as a resume: live delivery stops until the replay.
            following.forEach(registry::park);
        }
        s.background(false);
        ForegroundAnswer answer = new ForegroundAnswer(s, id, following, registry, replies, failures);
        for (int i = 0; i < following.size(); i++) {
            Subscription old = following.get(i);
            Subscription sub = answer.subscription(i);
            if (old.isRoom()) {
                s.room(sub);
            } else {
                s.subscriptions().put(old.channel(), sub);
            }
            Position since = req.getSinceMap().get(old.channel());
            int index = i;
            registry.resume(sub, since, a -> answer.arrived(index, a), e -> answer.failed(index, e));
        }
    }

    /** The room first, then the subscriptions. */
    private static List<Subscription> followed(Session s) {
        List<Subscription> out = new ArrayList<>(1 + s.subscriptionCount());
        if (s.room() != null) {
            out.add(s.room());
        }
        if (s.subscriptionCount() > 0) {
            out.addAll(s.subscriptions().values());
        }
        return out;
    }

    private static Subscription followedAs(Session s, String channel) {
        if (s.room() != null && s.room().channel().equals(channel)) {
            return s.room();
        }
        return s.subscription(channel);
    }
}
