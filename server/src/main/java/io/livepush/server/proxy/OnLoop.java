package io.livepush.server.proxy;

import io.livepush.server.session.Session;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/** Hands a proxy answer back to its connection's event loop; a connection that went meanwhile never sees it. */
final class OnLoop {
    private OnLoop() {}

    static <T> void then(Channel ch, CompletableFuture<T> answer, Consumer<T> onLoop) {
        answer.thenAccept(value -> {
            try {
                ch.eventLoop().execute(() -> {
                    Session s = Session.of(ch);
                    if (ch.isActive() && s != null && !s.isClosing()) {
                        onLoop.accept(value);
                    }
                });
            } catch (RejectedExecutionException e) {
                // The loop is shutting down with the server: the connection is gone with it.
            }
        });
    }
}
