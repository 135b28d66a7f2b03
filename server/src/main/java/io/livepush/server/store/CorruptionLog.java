package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import net.openhft.chronicle.hash.ChronicleHashCorruption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Chronicle Map's recovery of one file found damaged: each finding logged, and counted so the
 * store can react. Recovery drops an entry whose checksum does not match, as after a {@code kill -9}
 * in the middle of updating it; that loss must not pass silently.
 */
final class CorruptionLog implements ChronicleHashCorruption.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(CorruptionLog.class);
    /** Findings quote the entry's key and value; a message payload need not fill the log. */
    private static final int MAX_LOGGED_CHARS = 300;

    private final Path file;
    private final AtomicInteger findings = new AtomicInteger();

    CorruptionLog(Path file) {
        this.file = requireNonNull(file, "file");
    }

    @Override
    public void onCorruption(ChronicleHashCorruption corruption) {
        findings.incrementAndGet();
        String message = String.valueOf(corruption.message());
        if (message.length() > MAX_LOGGED_CHARS) {
            message = message.substring(0, MAX_LOGGED_CHARS) + "…";
        }
        LOG.warn("Recovering {}: {}", file, message);
    }

    /** Whether recovery reported anything: an entry may have been dropped. */
    boolean anyFindings() {
        return findings.get() > 0;
    }
}
