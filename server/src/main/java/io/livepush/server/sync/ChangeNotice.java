package io.livepush.server.sync;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.DataChanged;

/**
 * A {@code DataChanged} for the other connections of the user whose request stored it.
 *
 * @param user whose connections get it
 * @param originSessionId the session id of the connection that made the change: it is not told
 * @param changed the push
 */
public record ChangeNotice(String user, String originSessionId, DataChanged changed) {
    public ChangeNotice {
        requireNonNull(user, "user");
        requireNonNull(originSessionId, "originSessionId");
        requireNonNull(changed, "changed");
    }
}
