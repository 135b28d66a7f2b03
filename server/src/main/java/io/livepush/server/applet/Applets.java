package io.livepush.server.applet;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.server.channel.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * The applets of the rooms (PROTOCOL.md semantics 5), whichever engine keeps them: a compare-and-set of
 * an applet's running content whose new state reaches the room's members in order with the room's
 * messages, and reads of the states newer than what a client knows.
 */
public interface Applets {

    /**
     * Compare-and-set of an applet's running content ({@code expectedVersion} 0 = any); the new state is
     * pushed to everyone following the room. Fails with {@link VersionConflictException} on a stale
     * {@code expectedVersion}.
     */
    void update(String room, String appletId, ByteString content, long expectedVersion, Reply<AppletState> reply);

    /** The room's applets newer than {@code knownVersion}: one, or all when {@code appletId} is empty. */
    void newerThan(String room, String appletId, long knownVersion, Reply<List<AppletState>> reply);

    /** Those of {@code candidates} that {@link #newerThan} answers. */
    static List<AppletState> newer(List<AppletState> candidates, String appletId, long knownVersion) {
        List<AppletState> out = new ArrayList<>(candidates.size());
        for (AppletState a : candidates) {
            // Unsigned: known_version is a uint64 on the wire.
            if ((appletId.isEmpty() || appletId.equals(a.getAppletId()))
                    && Long.compareUnsigned(a.getVersion(), knownVersion) > 0) {
                out.add(a);
            }
        }
        return out;
    }
}
