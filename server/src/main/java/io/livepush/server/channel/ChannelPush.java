package io.livepush.server.channel;

import io.livepush.proto.v1.ServerFrame;

/**
 * Pushes a frame outside the message sequence (an applet state) to everyone following a channel,
 * from the channel's home, in order with its messages.
 */
@FunctionalInterface
public interface ChannelPush {
    void push(ServerFrame frame);
}
