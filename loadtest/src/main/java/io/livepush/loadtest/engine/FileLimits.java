package io.livepush.loadtest.engine;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/** Checks, before a run, that this process may open as many sockets as it is asked to hold. */
public final class FileLimits {
    /** Event-loop selectors, wake-up fds, jars, logs: what the process needs besides the connections. */
    static final int HEADROOM = 100;

    private FileLimits() {}

    /** Throws {@link IllegalArgumentException} when {@code connections} more files would pass the limit ({@code ulimit -n}). */
    public static void check(int connections) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long max = os.getMaxFileDescriptorCount();
            long open = os.getOpenFileDescriptorCount();
            if (open + connections + HEADROOM > max) {
                throw new IllegalArgumentException("connections: " + connections + " (expected: at most "
                        + Math.max(0, max - open - HEADROOM) + ": this process may open " + max
                        + " files (ulimit -n), " + open + " are open, " + HEADROOM
                        + " are kept for the harness; run more harness processes for more connections)");
            }
        }
    }
}
