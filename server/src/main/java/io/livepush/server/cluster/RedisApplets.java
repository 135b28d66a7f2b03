package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.server.applet.Applets;
import io.livepush.server.applet.VersionConflictException;
import io.livepush.server.channel.Reply;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The applets of a cluster's rooms, in Redis: the compare-and-set is one script that also sends the new
 * state on the room's live channel, between the messages published before and after it, so every node
 * pushes it to its members in that order.
 */
public final class RedisApplets implements Applets {
    private final RedisChannelLog log;

    public RedisApplets(RedisChannelLog log) {
        this.log = requireNonNull(log, "log");
    }

    @Override
    public void update(
            String room, String appletId, ByteString content, long expectedVersion, Reply<AppletState> reply) {
        log.updateApplet(room, appletId, content, expectedVersion).whenComplete((write, error) -> {
            if (error != null) {
                reply.fail(unwrap(error));
            } else if (write.state() == null) {
                reply.fail(new VersionConflictException(room, appletId, expectedVersion, write.version()));
            } else {
                reply.complete(write.state());
            }
        });
    }

    @Override
    public void newerThan(String room, String appletId, long knownVersion, Reply<List<AppletState>> reply) {
        log.applets(room).whenComplete((applets, error) -> {
            if (error != null) {
                reply.fail(unwrap(error));
            } else {
                reply.complete(Applets.newer(applets, appletId, knownVersion));
            }
        });
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
