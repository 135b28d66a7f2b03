package io.livepush.server.handler;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribe;
import io.livepush.proto.v1.Subscribed;
import io.livepush.proto.v1.Unsubscribe;
import io.livepush.proto.v1.Unsubscribed;
import io.livepush.server.auth.Operation;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.ChannelNames;
import io.livepush.server.channel.Outbox;
import io.livepush.server.channel.Subscription;
import io.livepush.server.metrics.Limit;
import io.livepush.server.proxy.ProxyChannels;
import io.livepush.server.proxy.ProxyHook;
import io.livepush.server.session.Authorizer;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;

/**
 * Extra channels a connection follows besides its room (a user's inbox, announcements …). Where the
 * subscribe hook applies, the backend decides instead of the caps; the state checks run again on its
 * answer, since other requests of the connection ran meanwhile.
 */
final class SubscriptionHandler {
    private final ChannelEngine registry;
    private final Authorizer authorizer;
    private final Replies replies;
    private final Failures failures;
    private final int maxSubscriptions;
    private final ProxyChannels proxy;

    SubscriptionHandler(
            ChannelEngine registry,
            Authorizer authorizer,
            Replies replies,
            Failures failures,
            int maxSubscriptions,
            ProxyChannels proxy) {
        this.proxy = proxy;
        this.registry = registry;
        this.authorizer = authorizer;
        this.replies = replies;
        this.failures = failures;
        this.maxSubscriptions = maxSubscriptions;
    }

    void subscribe(Session s, int id, Subscribe req) {
        if (BackgroundHandler.refuses(s, replies, id)) {
            return;
        }
        String channel = req.getChannel();
        if (ChannelNames.isValid(channel) && proxy.decides(ProxyHook.SUBSCRIBE, channel, req.getToken())) {
            if (mayAttach(s, id, channel, null)) {
                proxy.ask(s, ProxyHook.SUBSCRIBE, channel, "", decision -> {
                    if (decision.disconnect()) {
                        replies.fatal(
                                s.channel(),
                                id,
                                decision.denial().code(),
                                decision.denial().message());
                    } else if (mayAttach(s, id, channel, decision.denial())) {
                        attach(s, id, req, decision.info());
                    }
                });
            }
            return;
        }
        if (mayAttach(s, id, channel, authorizer.check(s, Operation.SUBSCRIBE, channel, req.getToken()))) {
            attach(s, id, req, ByteString.EMPTY);
        }
    }

    /** Answers why not and says false when {@code denial} or the connection's state refuses the subscription. */
    private boolean mayAttach(Session s, int id, String channel, Denial denial) {
        if (denial == null) {
            denial = conflict(s, channel);
        }
        if (denial != null) {
            replies.error(s.channel(), id, denial.code(), denial.message());
            return false;
        }
        if (s.subscriptionCount() >= maxSubscriptions) {
            replies.limitExceeded(
                    s.channel(),
                    id,
                    Limit.SUBSCRIPTIONS_PER_CONNECTION,
                    "at most " + maxSubscriptions + " subscriptions per connection");
            return false;
        }
        return true;
    }

    private void attach(Session s, int id, Subscribe req, ByteString info) {
        String channel = req.getChannel();
        Subscription sub = new Subscription(Outbox.of(s.channel()), channel, false, req.hasSince());
        s.subscriptions().put(sub.channel(), sub);
        registry.attach(
                sub,
                req.hasSince() ? req.getSince() : null,
                a -> replies.write(
                        s.channel(),
                        id,
                        ServerFrame.newBuilder()
                                .setSubscribed(Subscribed.newBuilder()
                                        .setChannel(channel)
                                        .setEpoch(a.epoch())
                                        .setLastSeq(a.lastSeq())
                                        .setRecovered(a.recovered())
                                        .setReplayed(a.replayed())
                                        .setMembers(a.members())
                                        .setInfo(info))),
                error -> {
                    s.subscriptions().remove(channel, sub);
                    failures.answer(s.channel(), id, "subscribe to " + channel, error);
                });
    }

    void unsubscribe(Session s, int id, Unsubscribe req) {
        Subscription sub = s.subscriptions().remove(req.getChannel());
        if (sub == null) {
            replies.error(s.channel(), id, ErrorCode.BAD_REQUEST, "not subscribed to " + req.getChannel());
            return;
        }
        ServerFrame.Builder answer = ServerFrame.newBuilder()
                .setUnsubscribed(Unsubscribed.newBuilder().setChannel(req.getChannel()));
        registry.detach(sub, () -> replies.send(s.channel(), id, answer));
    }

    private Denial conflict(Session s, String channel) {
        if (s.subscription(channel) != null) {
            return new Denial(ErrorCode.BAD_REQUEST, "already subscribed to " + channel);
        }
        if (s.room() != null && s.room().channel().equals(channel)) {
            return new Denial(ErrorCode.BAD_REQUEST, channel + " is the current room");
        }
        return null;
    }
}
