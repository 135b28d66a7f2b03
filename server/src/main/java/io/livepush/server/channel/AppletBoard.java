package io.livepush.server.channel;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.applet.VersionConflictException;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.store.AppletStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The applets of the rooms (PROTOCOL.md semantics 5). Every method runs on the room's home thread,
 * the same thread that sequences the room's messages: a compare-and-set needs no lock, and the push
 * of version N is queued to each event loop before the push of N + 1, so a member never sees an
 * older state after a newer one.
 */
final class AppletBoard {
    private final AppletStore store;
    private final FanOut fanOut;
    private final Clock clock;

    AppletBoard(AppletStore store, FanOut fanOut, Clock clock) {
        this.store = store;
        this.fanOut = fanOut;
        this.clock = clock;
    }

    /** Every current applet of the room, for {@code joined}. */
    List<AppletState> all(String room) {
        return store.list(room);
    }

    /** The applets (one, or all when {@code appletId} is empty) with a version above {@code knownVersion}. */
    List<AppletState> newerThan(String room, String appletId, long knownVersion) {
        List<AppletState> candidates = appletId.isEmpty()
                ? store.list(room)
                : store.find(room, appletId).map(List::of).orElse(List.of());
        List<AppletState> out = new ArrayList<>(candidates.size());
        for (AppletState a : candidates) {
            // Unsigned: known_version is a uint64 on the wire.
            if (Long.compareUnsigned(a.getVersion(), knownVersion) > 0) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Stores the next version when {@code expectedVersion} is 0 or the current one, then pushes it to
     * everyone following the room ({@code st} may be null: nobody is).
     */
    AppletState update(ChannelState st, String room, String appletId, ByteString content, long expectedVersion) {
        Optional<AppletState> current = store.find(room, appletId);
        long version = current.map(AppletState::getVersion).orElse(0L);
        if (expectedVersion != 0 && expectedVersion != version) {
            throw new VersionConflictException(room, appletId, expectedVersion, version);
        }
        AppletState next = AppletState.newBuilder()
                .setRoom(room)
                .setAppletId(appletId)
                .setVersion(version + 1)
                .setContent(content)
                .setUpdatedMs(clock.millis())
                .build();
        store.put(next);
        if (st != null) {
            fanOut.push(st, ServerFrame.newBuilder().setApplet(next).build());
        }
        return next;
    }
}
