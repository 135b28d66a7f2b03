package io.livepush.server.handler;

import io.livepush.proto.v1.DataSync;
import io.livepush.proto.v1.DataUpload;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.session.Replies;
import io.livepush.server.session.Session;

/** Two-way sync of a user's items across devices (PROTOCOL.md semantics 6). */
final class DataSyncHandler {
    private final Replies replies;

    DataSyncHandler(Replies replies) {
        this.replies = replies;
    }

    void sync(Session s, int id, DataSync req) {
        replies.error(s.channel(), id, ErrorCode.BAD_REQUEST, "data_sync is not implemented yet");
    }

    void upload(Session s, int id, DataUpload req) {
        replies.error(s.channel(), id, ErrorCode.BAD_REQUEST, "data_upload is not implemented yet");
    }
}
