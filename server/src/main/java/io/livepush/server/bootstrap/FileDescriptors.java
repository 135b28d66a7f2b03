package io.livepush.server.bootstrap;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The process's open-file limit, which bounds how many connections it can hold. */
final class FileDescriptors {
    /** Files kept for the store, logs, the admin port and the JVM itself. */
    static final int RESERVED = 100;

    private FileDescriptors() {
    }

    /** The limit, or -1 where the platform does not tell. */
    static long limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** The connection limit: configured, else what the descriptor limit allows. */
    static int connectionLimit(int configured, long fdLimit) {
        if (configured > 0) {
            return configured;
        }
        return fdLimit <= 0 ? 100_000 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, fdLimit - RESERVED));
    }
}
