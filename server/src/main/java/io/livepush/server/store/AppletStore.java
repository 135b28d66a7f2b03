package io.livepush.server.store;

import io.livepush.proto.v1.AppletState;
import java.io.Closeable;
import java.util.List;
import java.util.Optional;

/**
 * The persisted running content of every room's applets: one {@link AppletState} per (room, applet id).
 *
 * <p>Threading: like {@link MessageLog}, all writes for one room come from that room's home thread
 * (so a compare-and-set done by the caller needs no lock), while different rooms are used from
 * different threads at once.
 */
public interface AppletStore extends Closeable {

    /** The applet's current state, if it was ever set. */
    Optional<AppletState> find(String room, String appletId);

    /** Every applet of the room, ordered by applet id. */
    List<AppletState> list(String room);

    /** Stores {@code state} (room and applet id taken from it), replacing what was there. */
    void put(AppletState state);

    /** Applets stored, all rooms together. */
    long size();
}
