package io.livepush.server.sync;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Operation;
import io.livepush.server.session.Session;
import io.livepush.server.session.SessionRegistry;
import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Pushes a {@link ChangeNotice} to the user's connections on this node, the one that made the change aside.
 * Called in commit order (on the space's home, or from the cluster's control channel), so the pushes leave in
 * version order: each connection's check and write is one task on its event loop, where its session lives.
 */
public final class DataChangedPushes {
    private final SessionRegistry sessions;

    public DataChangedPushes(SessionRegistry sessions) {
        this.sessions = requireNonNull(sessions, "sessions");
    }

    public void deliver(ChangeNotice notice) {
        List<Channel> connections = sessions.connections(notice.user());
        if (connections.isEmpty()) {
            return;
        }
        String space = notice.changed().getSpace();
        ServerFrame push =
                ServerFrame.newBuilder().setDataChanged(notice.changed()).build();
        for (Channel ch : connections) {
            try {
                ch.eventLoop().execute(() -> {
                    Session s = Session.of(ch);
                    // The user's connections that may sync the space: not one opened with a share link, nor one
                    // in background mode (it syncs from its cursor when it comes back).
                    if (s != null
                            && s.isConnected()
                            && !s.isBackground()
                            && s.claims().allows(Operation.SYNC, space)
                            && !s.id().equals(notice.originSessionId())) {
                        ch.writeAndFlush(push, ch.voidPromise());
                    }
                });
            } catch (RejectedExecutionException e) {
                // the connection's loop is shutting down with it
            }
        }
    }
}
