package io.livepush.server.bootstrap;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The process's open-file limit, which bounds how many connections it can hold. */
final class FileDescriptors {
    /** Files kept for the store, logs, the admin port and the JVM itself. */
    static final int RESERVED = 100;

    private FileDescriptors() {}

    /** The limit, or -1 where the platform does not tell. */
    static long limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** Sockets above the client limit, so that a client refused at the limit still gets its GoAway. */
    static final int REFUSAL_HEADROOM = 100;

    /** Sockets the client ports may hold together: the descriptor limit less what is reserved and the admin port's. */
    static int clientSockets(long fdLimit, int adminSockets) {
        return fdLimit <= 0
                ? 100_000 + REFUSAL_HEADROOM
                : (int) Math.max(1 + REFUSAL_HEADROOM, Math.min(Integer.MAX_VALUE, fdLimit - RESERVED - adminSockets));
    }

    /** The connection limit: configured, else what the client sockets allow. */
    static int connectionLimit(int configured, int clientSockets) {
        return configured > 0 ? configured : clientSockets - REFUSAL_HEADROOM;
    }
}
