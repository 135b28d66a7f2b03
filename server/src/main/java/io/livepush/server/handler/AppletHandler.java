package io.livepush.server.handler;

import io.livepush.proto.v1.AppletSync;
import io.livepush.proto.v1.AppletUpdate;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;

/** Applet running-content sync and updates (PROTOCOL.md semantics 5). */
final class AppletHandler {
    private final Replies replies;

    AppletHandler(Replies replies) {
        this.replies = replies;
    }

    void sync(Session s, int id, AppletSync req) {
        replies.error(s.channel(), id, ErrorCode.BAD_REQUEST, "applet_sync is not implemented yet");
    }

    void update(Session s, int id, AppletUpdate req) {
        replies.error(s.channel(), id, ErrorCode.BAD_REQUEST, "applet_update is not implemented yet");
    }
}
