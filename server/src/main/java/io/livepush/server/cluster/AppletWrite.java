package io.livepush.server.cluster;

import io.livepush.proto.v1.AppletState;

/**
 * What a compare-and-set of an applet got.
 *
 * @param state the new state, or null when the expected version was stale and nothing changed
 * @param version the applet's version now (the new state's when it was applied)
 */
public record AppletWrite(AppletState state, long version) {}
