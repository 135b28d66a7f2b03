package io.livepush.server.handler;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.SeqRange;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Operation;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.Reply;
import io.livepush.server.session.Authorizer;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;

/** History with a have-set (PROTOCOL.md semantics 4): what a device lacks, nothing it already has. */
final class HistoryHandler {
    static final int MAX_HAVE_RANGES = 1024;

    private final ChannelEngine registry;
    private final Authorizer authorizer;
    private final Replies replies;
    private final Failures failures;

    HistoryHandler(ChannelEngine registry, Authorizer authorizer, Replies replies, Failures failures) {
        this.registry = registry;
        this.authorizer = authorizer;
        this.replies = replies;
        this.failures = failures;
    }

    void history(Session s, int id, History req) {
        Denial denial = authorizer.check(s, Operation.HISTORY, req.getChannel(), "");
        if (denial == null) {
            denial = checkRanges(req);
        }
        if (denial != null) {
            replies.error(s.channel(), id, denial.code(), denial.message());
            return;
        }
        // A since_seq above Long.MAX_VALUE (negative here) asks for nothing that can exist.
        long since = req.getSinceSeq() < 0 ? Long.MAX_VALUE : req.getSinceSeq();
        registry.history(
                req.getChannel(),
                since,
                req.getHaveList(),
                req.getLimit(),
                Reply.on(s.channel().eventLoop(), (result, error) -> {
                    if (error != null) {
                        failures.answer(s.channel(), id, "history of " + req.getChannel(), error);
                    } else {
                        replies.send(s.channel(), id, ServerFrame.newBuilder().setHistory(result));
                    }
                }));
    }

    private static Denial checkRanges(History req) {
        if (req.getHaveCount() > MAX_HAVE_RANGES) {
            return new Denial(ErrorCode.LIMIT_EXCEEDED, "have: more than " + MAX_HAVE_RANGES + " ranges");
        }
        for (SeqRange r : req.getHaveList()) {
            // uint64 values above Long.MAX_VALUE read as negative: refuse them with the other bad ranges.
            if (r.getFrom() < 1 || r.getTo() < r.getFrom() || r.getTo() == Long.MAX_VALUE) {
                return new Denial(
                        ErrorCode.BAD_REQUEST,
                        "have: bad range [" + Long.toUnsignedString(r.getFrom()) + ", "
                                + Long.toUnsignedString(r.getTo()) + "] (expected: 1 <= from <= to)");
            }
        }
        return null;
    }
}
