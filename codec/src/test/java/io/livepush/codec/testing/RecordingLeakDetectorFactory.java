package io.livepush.codec.testing;

import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Makes Netty's leak detectors remember what they report, so a test run can fail on a leak instead of only logging it. */
public final class RecordingLeakDetectorFactory extends ResourceLeakDetectorFactory {
    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static volatile boolean byteBufDetectorCreated;

    /** Only detectors created afterwards record: call it before Netty's buffer classes are initialised. */
    public static synchronized void install() {
        if (!(ResourceLeakDetectorFactory.instance() instanceof RecordingLeakDetectorFactory)) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingLeakDetectorFactory());
        }
    }

    /** True once AbstractByteBuf took its detector from this factory (it is the only ByteBuf.class caller in Netty). */
    static boolean byteBufDetectorCreated() {
        return byteBufDetectorCreated;
    }

    /**
     * Fails with what the detectors reported so far, if anything: for fuzz targets, which run one test for
     * minutes and should stop at (about) the input that leaked, not only at the end of the class.
     */
    public static void assertNoLeaksReported() {
        List<String> leaks = drainLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported:\n" + String.join("\n", leaks));
        }
    }

    static boolean hasLeaks() {
        return !LEAKS.isEmpty();
    }

    /** Removes and returns the leaks reported so far, so one leak fails one test class only. */
    static List<String> drainLeaks() {
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        return leaks;
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
            Class<T> resource, int samplingInterval, long maxActive) {
        if (resource == ByteBuf.class) {
            byteBufDetectorCreated = true;
        }
        return new RecordingDetector<>(resource, samplingInterval);
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        // The default only reports while ERROR logging is on and silently drops leaks otherwise.
        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                    + " (no access records: run with -Dio.netty.leakDetection.level=PARANOID).");
            super.reportUntracedLeak(resourceType);
        }
    }
}
