package io.livepush.benchmarks;

import io.livepush.proto.v1.Message;
import io.livepush.server.store.MessageLog;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The message log's hot paths on real Chronicle Map files: append of a 100-byte message, as a
 * channel's home thread does on publish, and the replay read of one page from the middle of a
 * channel's history. A channel's appends all run on its one home thread, so the figure that counts is
 * single-threaded ({@code -t 1}); with {@code -t N} each thread is a home with channels of its own.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2) // one channel reaches steady JIT state only after ~4 s here
@Measurement(iterations = 5, time = 2)
// Chronicle Map's flags (see BUILD-NOTES): forks run from the class path, so the jar's manifest does not apply.
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true"
        })
public class MessageLogBenchmark {
    /** Kept per channel. Homes start with full channels, so every measured append also trims one. */
    static final int RETENTION = 1_000;
    /** Room for two homes of 1,000 full channels each. */
    static final long CAPACITY = 2_000_000;
    /** Messages per {@code appendAll}: a burst of publishes queued on one channel's home. */
    static final int BATCH = 16;
    /** The replay page size. */
    static final int PAGE = 64;
    /** The replay channel's history. */
    static final int HISTORY = 10_000;

    @State(Scope.Benchmark)
    public static class Store {
        TempStore store;

        @Setup(Level.Trial)
        public void open() throws IOException {
            store = TempStore.open(CAPACITY, RETENTION);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
        }
    }

    /** One home thread's channels, appended to in turn. */
    @State(Scope.Thread)
    public static class Home {
        static final List<Message> BURST = Collections.nCopies(BATCH, SampleMessages.draft());

        @Param({"1", "1000"})
        int channels;

        String[] names;
        int next;

        @Setup(Level.Trial)
        public void fill(Store store, ThreadParams thread) {
            names = new String[channels];
            for (int i = 0; i < channels; i++) {
                names[i] = "room." + thread.getThreadIndex() + "." + i;
                for (int n = 0; n < RETENTION; n++) {
                    append(store.store.log(), names[i]);
                }
            }
        }

        String nextChannel() {
            String name = names[next];
            next = next + 1 == names.length ? 0 : next + 1;
            return name;
        }
    }

    /** A channel with {@link #HISTORY} messages to replay from. */
    @State(Scope.Benchmark)
    public static class History {
        static final String CHANNEL = "room.replay";

        TempStore store;
        long from;

        @Setup(Level.Trial)
        public void fill() throws IOException {
            store = TempStore.open(HISTORY, HISTORY);
            for (int n = 0; n < HISTORY; n++) {
                append(store.log(), CHANNEL);
            }
            from = store.log().current(CHANNEL).lastSeq() / 2;
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
        }
    }

    @Benchmark
    public Message append(Store store, Home home) {
        return append(store.store.log(), home.nextChannel());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH) // scored per message, comparable with append
    public List<Message> appendAll(Store store, Home home) {
        return store.store.log().appendAll(home.nextChannel(), Home.BURST);
    }

    @Benchmark
    public void readPage(History history, Blackhole bh) {
        List<Message> page = history.store.log().read(History.CHANNEL, history.from, history.from + PAGE - 1, PAGE);
        bh.consume(page);
    }

    private static Message append(MessageLog log, String channel) {
        return log.append(
                channel,
                SampleMessages.KIND,
                SampleMessages.PAYLOAD,
                SampleMessages.PUBLISHER,
                SampleMessages.TIMESTAMP_MS);
    }
}
