package io.livepush.server.handler;

import io.livepush.proto.v1.AppletStates;
import io.livepush.proto.v1.AppletSync;
import io.livepush.proto.v1.AppletUpdate;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.applet.AppletIds;
import io.livepush.server.applet.Applets;
import io.livepush.server.auth.Operation;
import io.livepush.server.channel.Reply;
import io.livepush.server.session.Authorizer;
import io.livepush.server.session.Denial;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;

/**
 * Applet running-content sync and updates (PROTOCOL.md semantics 5). An update needs the
 * {@code applet} cap and runs on the room's home, ordered with the room's messages; a sync is open to
 * anyone who may follow or read the room.
 */
final class AppletHandler {
    private final Applets applets;
    private final Authorizer authorizer;
    private final Replies replies;
    private final Failures failures;

    AppletHandler(Applets applets, Authorizer authorizer, Replies replies, Failures failures) {
        this.applets = applets;
        this.authorizer = authorizer;
        this.replies = replies;
        this.failures = failures;
    }

    void sync(Session s, int id, AppletSync req) {
        Denial denial = authorizer.checkAny(
                s, req.getRoom(), Operation.JOIN, Operation.SUBSCRIBE, Operation.HISTORY, Operation.APPLET);
        if (denial == null && !req.getAppletId().isEmpty() && !AppletIds.isValid(req.getAppletId())) {
            denial = new Denial(ErrorCode.BAD_REQUEST, AppletIds.RULE);
        }
        if (denial != null) {
            replies.error(s.channel(), id, denial.code(), denial.message());
            return;
        }
        applets.newerThan(
                req.getRoom(),
                req.getAppletId(),
                req.getKnownVersion(),
                Reply.on(s.channel().eventLoop(), (states, error) -> {
                    if (error != null) {
                        failures.answer(s.channel(), id, "applet_sync of " + req.getRoom(), error);
                    } else {
                        replies.send(
                                s.channel(),
                                id,
                                ServerFrame.newBuilder()
                                        .setApplets(AppletStates.newBuilder()
                                                .setRoom(req.getRoom())
                                                .addAllStates(states)));
                    }
                }));
    }

    void update(Session s, int id, AppletUpdate req) {
        Denial denial = authorizer.check(s, Operation.APPLET, req.getRoom(), "");
        if (denial == null && !AppletIds.isValid(req.getAppletId())) {
            denial = new Denial(ErrorCode.BAD_REQUEST, AppletIds.RULE);
        }
        if (denial == null && req.getContent().size() > AppletIds.MAX_CONTENT_BYTES) {
            denial = new Denial(
                    ErrorCode.LIMIT_EXCEEDED,
                    "content: " + req.getContent().size() + " bytes (at most " + AppletIds.MAX_CONTENT_BYTES + ")");
        }
        if (denial != null) {
            replies.error(s.channel(), id, denial.code(), denial.message());
            return;
        }
        applets.update(
                req.getRoom(),
                req.getAppletId(),
                req.getContent(),
                req.getExpectedVersion(),
                Reply.on(s.channel().eventLoop(), (state, error) -> {
                    if (error != null) {
                        failures.answer(s.channel(), id, "applet_update of " + req.getRoom(), error);
                    } else {
                        replies.send(
                                s.channel(),
                                id,
                                ServerFrame.newBuilder()
                                        .setApplets(AppletStates.newBuilder()
                                                .setRoom(req.getRoom())
                                                .addStates(state)));
                    }
                }));
    }
}
