package io.livepush.server.session;

import java.util.concurrent.CompletableFuture;

/** A user's connections, wherever they are: on this node, or on every node of a cluster. */
public interface UserConnections {

    /**
     * Sends GoAway to each of the user's connections and closes them; completes with how many.
     *
     * @param reconnectAfterMs when the client should try again (a ban's length), 0 = at once
     */
    CompletableFuture<Integer> disconnect(String userId, String reason, long reconnectAfterMs);
}
