package io.livepush.server.applet;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.channel.ChannelPush;
import io.livepush.server.channel.ChannelRegistry;
import io.livepush.server.channel.Reply;
import io.livepush.server.store.AppletStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The applets of the rooms (PROTOCOL.md semantics 5). Every operation runs on the room's home, the
 * thread that sequences the room's messages: a compare-and-set needs no lock, and the push of
 * version N reaches each member before the push of N + 1, so nobody sees an older state after a newer
 * one. (A joining member gets the room's applets with its {@code joined}, read by the same home.)
 */
public final class AppletService implements Applets {
    private final ChannelRegistry channels;
    private final AppletStore store;
    private final Clock clock;

    public AppletService(ChannelRegistry channels, AppletStore store, Clock clock) {
        this.channels = requireNonNull(channels, "channels");
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public void update(
            String room, String appletId, ByteString content, long expectedVersion, Reply<AppletState> reply) {
        channels.ordered(room, push -> updateOnHome(push, room, appletId, content, expectedVersion), reply);
    }

    @Override
    public void newerThan(String room, String appletId, long knownVersion, Reply<List<AppletState>> reply) {
        channels.onHome(
                room,
                () -> {
                    List<AppletState> candidates = appletId.isEmpty()
                            ? store.list(room)
                            : store.find(room, appletId).map(List::of).orElse(List.of());
                    return Applets.newer(candidates, appletId, knownVersion);
                },
                reply);
    }

    private AppletState updateOnHome(
            ChannelPush push, String room, String appletId, ByteString content, long expectedVersion) {
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
        push.push(ServerFrame.newBuilder().setApplet(next).build());
        return next;
    }
}
