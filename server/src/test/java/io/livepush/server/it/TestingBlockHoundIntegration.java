package io.livepush.server.it;

import java.util.ArrayList;
import java.util.List;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What the integration tests' BlockHound does with a blocking call on an event loop. Which threads are event loops
 * Netty's own integration decides (in netty-common, found like this one through META-INF/services): every
 * {@code FastThreadLocalThread} that does not {@code permitBlockingCalls()}, so the server's accept and I/O threads
 * (Netty's {@code DefaultThreadFactory}), not its homes (which do the store's work) nor its maintenance thread.
 *
 * <p>Each call found is recorded, so that {@link BlockingCallCheckExtension} fails the test even when the error
 * thrown on the event loop was swallowed there (a listener, a task, a handler that closes the channel).
 *
 * <p>Netty's integration allows its own (task queues, pool locks), and BlockHound's LoggingIntegration allows
 * logback's appenders. Add one here only as narrow as one method, with the reason.
 */
public final class TestingBlockHoundIntegration implements BlockHoundIntegration {
    private static final List<BlockingCall> found = new ArrayList<>();

    /** A blocking call, the thread it was made on and where (the error's stack trace). */
    public record BlockingCall(String thread, BlockingOperationError error) {
        @Override
        public String toString() {
            return error.getMessage() + " on " + thread;
        }
    }

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // Lettuce, reconnecting through Redis Sentinel on its own executor thread (not one of ours), builds a
        // proxy for the sentinel connection; a ReentrantLock guards its method cache for a map lookup.
        builder.allowBlockingCallsInside("io.lettuce.core.internal.AbstractInvocationHandler$MethodTranslator", "of");
        // Netty's adaptive allocator, when threads contend for its magazines, adds one and frees the spare it made
        // under a StampedLock held for a few instructions: a pool lock of Netty's own that its integration misses.
        // Seen on push-io and Lettuce loops alike when several threads allocate tens of kilobytes at once.
        builder.allowBlockingCallsInside(
                "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
        // Lettuce builds a JDK SSL context for each rediss:// (re)connect on its own loop (not one of the server's):
        // SSLContext.init seeds from /dev/urandom, which never blocks. Trust material is read at start
        // (--redis-tls-ca).
        builder.allowBlockingCallsInside(
                "io.lettuce.core.SslConnectionBuilder$SslChannelInitializer", "initializeSSLEngine");
        // io_uring (--transport io_uring): a loop that shuts down waits, spinning, for its ring's wake-up to be
        // cancelled before it frees the ring; that is at the end of the loop's life, never while it serves.
        builder.allowBlockingCallsInside("io.netty.channel.uring.IoUringIoHandler", "closeWakeupGate");
        builder.blockingMethodCallback(method -> {
            BlockingOperationError error = new BlockingOperationError(method);
            synchronized (found) {
                found.add(new BlockingCall(Thread.currentThread().getName(), error));
            }
            throw error;
        });
    }

    /** The blocking calls found since the last call, oldest first. */
    public static List<BlockingCall> drain() {
        synchronized (found) {
            List<BlockingCall> calls = List.copyOf(found);
            found.clear();
            return calls;
        }
    }
}
