package io.livepush.loadtest.dsl;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Ready-made {@link Feeder}s. */
public final class Feeders {
    private Feeders() {}

    /** {@code key} = {@code format} with the user's number (0, 1, 2 …), e.g. {@code sequence("user", "lt-user-%d")}. */
    @SuppressWarnings("ReturnValueIgnored") // the first String.format runs only to fail now on a bad format
    public static Feeder sequence(String key, String format) {
        requireNonNull(key, "key");
        String.format(Locale.ROOT, requireNonNull(format, "format"), 0L); // fail now on a bad format
        long[] next = {0};
        return () -> Map.of(key, String.format(Locale.ROOT, format, next[0]++));
    }

    /** {@code key} = the values in turn, starting over after the last (round-robin). */
    public static Feeder circular(String key, List<String> values) {
        requireNonNull(key, "key");
        List<Map<String, String>> rows =
                values.stream().map(v -> Map.of(key, v)).toList();
        return circular(rows);
    }

    /**
     * The rows of a CSV file in turn, round-robin: the first line names the keys. Plain comma-separated
     * values, no quoting; blank lines are skipped.
     */
    public static Feeder csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(requireNonNull(file, "file"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
        if (lines.size() < 2) {
            throw new IllegalArgumentException("file: " + file + " (expected: a header line and at least one row)");
        }
        String[] keys = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length != keys.length) {
                throw new IllegalArgumentException("file: " + file + ": '" + line + "' has " + cells.length
                        + " cells (expected: " + keys.length + ")");
            }
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < keys.length; i++) {
                row.put(keys[i].trim(), cells[i].trim());
            }
            rows.add(Map.copyOf(row));
        }
        return circular(rows);
    }

    private static Feeder circular(List<Map<String, String>> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("values: [] (expected: at least one)");
        }
        List<Map<String, String>> copy = List.copyOf(rows);
        int[] next = {0};
        return () -> copy.get(next[0]++ % copy.size());
    }
}
