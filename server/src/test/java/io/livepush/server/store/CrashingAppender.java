package io.livepush.server.store;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Child-process main for {@link CrashRecoveryTest}: appends to one channel forever and prints
 * {@code epoch <e>} once, then each acknowledged seq, until the test kills it with {@code kill -9}.
 * Standard output is its protocol with the test, hence the direct use of it.
 */
public final class CrashingAppender {
    static final String CHANNEL = "crash";
    /** Above anything the test can see printed, so no acknowledged seq is trimmed by count. */
    static final int RETENTION = 1_000_000;

    private CrashingAppender() {}

    public static void main(String[] args) throws Exception {
        ChronicleMessageLog log = ChronicleMessageLog.open(config(Path.of(args[0])));
        PrintStream out = System.out;
        out.println("epoch " + log.current(CHANNEL).epoch());
        out.flush();
        ByteString payload = ByteString.copyFromUtf8("x".repeat(100));
        while (true) {
            Message acked = log.append(CHANNEL, "tick", payload, "crasher", System.currentTimeMillis());
            out.println(acked.getSeq());
            out.flush();
        }
    }

    static StoreConfig config(Path dir) {
        return TestStores.config(dir, RETENTION, Clock.systemUTC());
    }
}
