package io.livepush.loadtest.stats;

/** Reads values out of Prometheus text format. */
final class Prometheus {
    private Prometheus() {}

    /**
     * The sum of every sample of {@code metric} whose labels contain {@code label} (e.g. {@code area="heap"};
     * "" for any, including a sample without labels), or -1 if there is none.
     */
    static long sum(String text, String metric, String label) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            int close;
            if (line.startsWith(metric + "{")) {
                close = line.lastIndexOf('}');
                if (close < 0 || !line.substring(metric.length(), close).contains(label)) {
                    continue;
                }
            } else if (label.isEmpty() && line.startsWith(metric + " ")) {
                close = metric.length() - 1;
            } else {
                continue;
            }
            String[] rest = line.substring(close + 1).trim().split("\\s+");
            sum += Double.parseDouble(rest[0]);
            found = true;
        }
        return found ? (long) sum : -1;
    }
}
