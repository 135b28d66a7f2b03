package io.livepush.loadtest.engine;

import io.netty.channel.ChannelHandler;
import java.util.concurrent.CompletableFuture;

/** A subscriber connection of any target: the last handler of its pipeline. */
public interface Receiver extends ChannelHandler {

    /** Completes once subscribed (the {@link #reception()} started), exceptionally if that failed. */
    CompletableFuture<Void> ready();

    Reception reception();

    /** Closes the connection on purpose: not counted as an error. */
    void stop();
}
