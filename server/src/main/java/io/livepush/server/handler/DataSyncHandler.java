package io.livepush.server.handler;

import io.livepush.proto.v1.DataSync;
import io.livepush.proto.v1.DataUpload;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Item;
import io.livepush.proto.v1.ItemChange;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Operation;
import io.livepush.server.channel.ChannelNames;
import io.livepush.server.channel.Reply;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;
import io.livepush.server.sync.DataSyncService;
import io.livepush.server.sync.Fingerprints;
import io.livepush.server.sync.SyncOutcome;
import io.netty.channel.Channel;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Two-way sync of a user's items across devices (PROTOCOL.md semantics 6): checks access and limits on
 * the event loop, leaves the work to {@link DataSyncService} and answers. {@code DataChanged} to the user's
 * other connections goes with the store's commit ({@link io.livepush.server.sync.Spaces#commit}).
 *
 * <p>Access: {@code space.<sub>} is the user's own; any other space needs a cap allowing {@code sync}.
 */
final class DataSyncHandler {
    static final int MAX_ITEM_ID_LENGTH = 128;

    private final DataSyncService service;
    private final Replies replies;
    private final Failures failures;
    private final int maxItemBytes;
    private final int maxItemsPerRequest;

    DataSyncHandler(
            DataSyncService service, Replies replies, Failures failures, int maxItemBytes, int maxItemsPerRequest) {
        this.service = service;
        this.replies = replies;
        this.failures = failures;
        this.maxItemBytes = maxItemBytes;
        this.maxItemsPerRequest = maxItemsPerRequest;
    }

    void sync(Session s, int id, DataSync req) {
        Denial denial = access(s, req.getSpace());
        if (denial == null) {
            denial = checkCount(req.getChangesCount(), "changes");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; denial == null && i < req.getChangesCount(); i++) {
            ItemChange c = req.getChanges(i);
            denial = checkId(c.getItemId(), ids);
            if (denial == null && !c.getDeleted() && c.getFingerprint().size() != Fingerprints.LENGTH) {
                denial = new Denial(
                        ErrorCode.BAD_REQUEST,
                        "changes[" + i + "].fingerprint: " + c.getFingerprint().size() + " bytes (expected: "
                                + Fingerprints.LENGTH + ", a SHA-256)");
            }
        }
        if (denial != null) {
            replies.error(s.channel(), id, denial.code(), denial.message());
            return;
        }
        run(
                s,
                id,
                req.getSpace(),
                "data_sync",
                service::sync,
                req,
                b -> ServerFrame.newBuilder().setDataSync(b));
    }

    void upload(Session s, int id, DataUpload req) {
        Denial denial = access(s, req.getSpace());
        if (denial == null) {
            denial = checkCount(req.getItemsCount(), "items");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; denial == null && i < req.getItemsCount(); i++) {
            Item item = req.getItems(i);
            denial = checkId(item.getItemId(), ids);
            if (denial == null && item.getContent().size() > maxItemBytes) {
                denial = new Denial(
                        ErrorCode.LIMIT_EXCEEDED,
                        "items[" + i + "].content: " + item.getContent().size() + " bytes (limit: " + maxItemBytes
                                + ")");
            }
            if (denial == null && item.getDeleted() && !item.getContent().isEmpty()) {
                denial = new Denial(ErrorCode.BAD_REQUEST, "items[" + i + "]: a deleted item has no content");
            }
        }
        if (denial != null) {
            replies.error(s.channel(), id, denial.code(), denial.message());
            return;
        }
        run(
                s,
                id,
                req.getSpace(),
                "data_upload",
                service::upload,
                req,
                b -> ServerFrame.newBuilder().setDataUpload(b));
    }

    /** A data-sync operation: user, session id, request, where its outcome goes. */
    private interface SyncCall<Q, R> {
        void run(String user, String sessionId, Q req, Reply<SyncOutcome<R>> reply);
    }

    private <Q, R> void run(
            Session s,
            int id,
            String space,
            String what,
            SyncCall<Q, R> op,
            Q req,
            Function<R, ServerFrame.Builder> frame) {
        Channel ch = s.channel();
        // Answered where the outcome arrives (the space's home): writing hands the frame to the connection's loop.
        op.run(s.userId(), s.id(), req, Reply.on(Runnable::run, (outcome, error) -> {
            if (error != null) {
                failures.answer(ch, id, what + " on " + space, error);
            } else if (outcome.badFingerprintId() != null) {
                replies.error(
                        ch,
                        id,
                        ErrorCode.BAD_FINGERPRINT,
                        "item " + outcome.badFingerprintId()
                                + ": the SHA-256 of its content is not its fingerprint; nothing was stored");
            } else {
                replies.send(ch, id, frame.apply(outcome.answer()));
            }
        }));
    }

    private static Denial access(Session s, String space) {
        if (!ChannelNames.isValid(space)) {
            return new Denial(
                    ErrorCode.BAD_REQUEST, "invalid space name: expected 1-128 characters of [A-Za-z0-9._:-]");
        }
        if (s.claims().allows(Operation.SYNC, space)) {
            return null;
        }
        return new Denial(ErrorCode.FORBIDDEN, "not allowed to sync " + space);
    }

    private Denial checkCount(int count, String field) {
        return count > maxItemsPerRequest
                ? new Denial(
                        ErrorCode.LIMIT_EXCEEDED,
                        field + ": " + count + " (limit: " + maxItemsPerRequest + " per request)")
                : null;
    }

    private static Denial checkId(String itemId, Set<String> seen) {
        if (itemId.isEmpty()) {
            return new Denial(
                    ErrorCode.BAD_REQUEST, "item_id: empty (expected: 1-" + MAX_ITEM_ID_LENGTH + " characters)");
        }
        if (itemId.length() > MAX_ITEM_ID_LENGTH) {
            return new Denial(
                    ErrorCode.LIMIT_EXCEEDED,
                    "item_id: " + itemId.length() + " characters (limit: " + MAX_ITEM_ID_LENGTH + ")");
        }
        return seen.add(itemId) ? null : new Denial(ErrorCode.BAD_REQUEST, "item_id " + itemId + " appears twice");
    }
}
