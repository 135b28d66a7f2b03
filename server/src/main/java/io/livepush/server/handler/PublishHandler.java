package io.livepush.server.handler;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Operation;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.ChannelNames;
import io.livepush.server.channel.Reply;
import io.livepush.server.config.LiveNamespaces;
import io.livepush.server.config.Namespace;
import io.livepush.server.metrics.Limit;
import io.livepush.server.proxy.ProxyPublish;
import io.livepush.server.session.Authorizer;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;
import io.livepush.server.session.SessionRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Publish from a client: needs the {@code publish} cap, or the backend's yes where the publish hook
 * applies (which may rewrite the payload), and a namespace that lets clients publish payloads of that size;
 * answered with the stored position. The rate limits count before the backend is asked.
 */
final class PublishHandler {
    static final int MAX_KIND_LENGTH = 128;
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;

    private final ChannelEngine registry;
    private final Authorizer authorizer;
    private final Replies replies;
    private final SessionRegistry sessions;
    private final int publishRatePerConnection;
    private final Failures failures;
    private final LiveNamespaces namespaces;
    private final ProxyPublish proxy;

    PublishHandler(
            ChannelEngine registry,
            Authorizer authorizer,
            Replies replies,
            Failures failures,
            SessionRegistry sessions,
            int publishRatePerConnection,
            LiveNamespaces namespaces,
            ProxyPublish proxy) {
        this.namespaces = namespaces;
        this.proxy = proxy;
        this.sessions = sessions;
        this.publishRatePerConnection = publishRatePerConnection;
        this.registry = registry;
        this.authorizer = authorizer;
        this.replies = replies;
        this.failures = failures;
    }

    void publish(Session s, int id, Publish req) {
        boolean proxied = ChannelNames.isValid(req.getChannel()) && proxy.decides(req.getChannel());
        Denial denial = proxied ? null : authorizer.check(s, Operation.PUBLISH, req.getChannel(), "");
        if (denial == null && req.getKind().length() > MAX_KIND_LENGTH) {
            denial = new Denial(ErrorCode.BAD_REQUEST, "kind: longer than " + MAX_KIND_LENGTH + " characters");
        }
        if (denial == null && req.getIdempotencyKey().length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            denial = new Denial(
                    ErrorCode.BAD_REQUEST,
                    "idempotency_key: longer than " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
        if (denial == null) {
            denial = namespaceDenial(req);
        }
        if (denial != null) {
            replies.error(s.channel(), id, denial.code(), denial.message());
            return;
        }
        if (overRate(s, id)) {
            return;
        }
        if (!proxied) {
            admit(s, id, req);
            return;
        }
        proxy.ask(s, req, decision -> {
            if (decision.disconnect()) {
                replies.fatal(
                        s.channel(),
                        id,
                        decision.denial().code(),
                        decision.denial().message());
            } else if (decision.denial() != null) {
                replies.error(
                        s.channel(),
                        id,
                        decision.denial().code(),
                        decision.denial().message());
            } else {
                admit(s, id, req.toBuilder().setPayload(decision.payload()).build());
            }
        });
    }

    /** Stores the publish unless the user's publish rate across the cluster is used up. */
    private void admit(Session s, int id, Publish req) {
        if (!sessions.publishRateAcrossCluster()) {
            store(s, id, req);
            return;
        }
        sessions.tryPublishAcrossCluster(s.userId())
                .thenAccept(waitMs -> s.channel().eventLoop().execute(() -> {
                    if (waitMs > 0) {
                        userRateLimited(s, id, waitMs);
                    } else {
                        store(s, id, req);
                    }
                }));
    }

    private void store(Session s, int id, Publish req) {
        registry.publish(
                req.getChannel(),
                req.getKind(),
                req.getPayload(),
                s.userId(),
                req.getIdempotencyKey(),
                Reply.on(s.channel().eventLoop(), (ack, error) -> {
                    if (error != null) {
                        failures.answer(s.channel(), id, "publish to " + req.getChannel(), error);
                    } else {
                        replies.send(s.channel(), id, ServerFrame.newBuilder().setPublished(ack));
                    }
                }));
    }

    private Denial namespaceDenial(Publish req) {
        Namespace namespace = namespaces.forChannel(req.getChannel());
        if (!namespace.publish()) {
            return new Denial(ErrorCode.FORBIDDEN, "clients may not publish in namespace " + namespace.displayName());
        }
        if (req.getPayload().size() > namespace.maxMessageBytes()) {
            return new Denial(
                    ErrorCode.LIMIT_EXCEEDED,
                    "payload: " + req.getPayload().size() + " bytes (limit: " + namespace.maxMessageBytes()
                            + " in namespace " + namespace.displayName() + ')');
        }
        return null;
    }

    /** Answers RATE_LIMITED when the connection's or the user's publish rate is used up. */
    private boolean overRate(Session s, int id) {
        long now = System.nanoTime();
        if (publishRatePerConnection > 0) {
            long wait = s.publishes(publishRatePerConnection).tryAcquire(now);
            if (wait > 0) {
                replies.rateLimited(
                        s.channel(),
                        id,
                        Limit.PUBLISH_RATE_PER_CONNECTION,
                        "at most " + publishRatePerConnection + " publishes per second per connection",
                        toMillis(wait));
                return true;
            }
        }
        long wait = sessions.tryPublish(s.userId(), now);
        if (wait > 0) {
            userRateLimited(s, id, toMillis(wait));
            return true;
        }
        return false;
    }

    private void userRateLimited(Session s, int id, long waitMs) {
        replies.rateLimited(
                s.channel(), id, Limit.PUBLISH_RATE_PER_USER, "too many publishes per second by this user", waitMs);
    }

    private static long toMillis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos + TimeUnit.MILLISECONDS.toNanos(1) - 1);
    }
}
