package io.livepush.server.bootstrap;

import io.netty.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the home thread of one channel busy until closed, so that writes to the channel queue up in
 * its mailbox: a test of what a full mailbox answers, without racing the home.
 */
public final class HeldHome implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final Future<?> held;

    /** Returns once the home of {@code channel} is running the task that holds it. */
    public static HeldHome of(PushServer server, String channel) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        HeldHome home = new HeldHome(server, channel, running);
        if (!running.await(10, TimeUnit.SECONDS)) {
            home.close();
            throw new AssertionError("the home of " + channel + " did not start the holding task");
        }
        return home;
    }

    private HeldHome(PushServer server, String channel, CountDownLatch running) {
        held = server.homes().homeOf(channel).submit(() -> {
            running.countDown();
            release.await(30, TimeUnit.SECONDS); // bounded, so a failing test cannot wedge the server
            return null;
        });
    }

    @Override
    public void close() {
        release.countDown();
        held.awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
