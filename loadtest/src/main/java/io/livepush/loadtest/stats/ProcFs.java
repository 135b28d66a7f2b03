package io.livepush.loadtest.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time and resident set, from Linux's {@code /proc}. */
public final class ProcFs {
    /**
     * {@code /proc/<pid>/stat} counts CPU time in clock ticks of {@code USER_HZ}, which Linux fixes at 100 on every
     * architecture it runs Java on ({@code getconf CLK_TCK}); so a reading is exact to 10 ms, and a window of
     * seconds is what to read it over.
     */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private static final long NANOS_PER_TICK = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;

    private ProcFs() {}

    /** The CPU time (user + system, every thread) process {@code pid} has used so far. */
    public static long cpuNanos(long pid) throws IOException {
        return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * NANOS_PER_TICK;
    }

    /** The resident set of process {@code pid} ({@code VmRSS}). */
    public static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
            }
        }
        throw new IOException("/proc/" + pid + "/status: no VmRSS line");
    }

    /**
     * {@code utime + stime} of a {@code stat} line: fields 14 and 15, counted after the command name, which is in
     * parentheses and may itself hold spaces and parentheses.
     */
    static long cpuTicks(String stat) throws IOException {
        int end = stat.lastIndexOf(')');
        String[] fields =
                end < 0 ? new String[0] : stat.substring(end + 1).trim().split(" ");
        if (fields.length < 13) {
            throw new IOException("not a /proc/<pid>/stat line: " + stat);
        }
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
