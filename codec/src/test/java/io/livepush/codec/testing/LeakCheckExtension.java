package io.livepush.codec.testing;

import io.netty.buffer.ByteBufAllocator;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reported a leak while (or shortly before) it ran.
 *
 * <p>Registered for every test class by JUnit's extension auto-detection (META-INF/services plus
 * {@code junit.jupiter.extensions.autodetection.enabled=true}), which instantiates it before any test class is
 * initialised; its static initializer therefore installs the recording factory before AbstractByteBuf creates its
 * detector. Auto-detected extensions run their after-callbacks last, so servers stopped by other extensions have
 * released their buffers by then.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    static {
        RecordingLeakDetectorFactory.install();
    }

    private static final int GC_ROUNDS = 3;
    private static final long NUDGE_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(2);

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        nudgeDetector();
        if (!RecordingLeakDetectorFactory.byteBufDetectorCreated()) {
            throw new AssertionError("Netty's ByteBuf leak detector was created before RecordingLeakDetectorFactory"
                    + " was installed, so leaks would go unnoticed: is JUnit extension auto-detection enabled?");
        }
        List<String> leaks = RecordingLeakDetectorFactory.drainLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported by the end of "
                    + context.getDisplayName() + " (the records show where each was last touched):\n"
                    + String.join("\n", leaks));
        }
    }

    /** Netty notices a leak only once the buffer is collected and a later allocation polls the detector's queue. */
    private static void nudgeDetector() throws InterruptedException {
        long deadline = System.nanoTime() + NUDGE_BUDGET_NANOS;
        for (int round = 0;
                round < GC_ROUNDS && !RecordingLeakDetectorFactory.hasLeaks() && System.nanoTime() < deadline;
                round++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            System.gc();
            // The sentinel is enqueued in the same reference-handler pass as the trackers of buffers collected by
            // this GC: waiting for it replaces a sleep, and the deadline bounds it if explicit GC is disabled.
            queue.remove(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            Reference.reachabilityFence(sentinel);
            ByteBufAllocator.DEFAULT.buffer(1).release(); // track() drains the queue and reports what it finds
        }
    }
}
