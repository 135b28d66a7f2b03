package io.livepush.server.bootstrap;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The one INFO line of a clean stop: how long the server ran, the clients it connected, the messages published
 * and delivered, and whether the store closed cleanly. The counts are read from the metrics as scraped, by name,
 * and left out of the line if a metric is not there.
 */
final class ShutdownSummary {
    private static final String CONNECTED = "push_connects_total";
    private static final String PUBLISHED = "push_messages_published_total";
    private static final String DELIVERED = "push_messages_delivered_total";

    private final Clock clock;
    private final long startMillis;

    ShutdownSummary(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
        this.startMillis = clock.millis();
    }

    /**
     * @param scrape the metrics in Prometheus text format, read before they close
     * @param storeClosedCleanly whether every store file closed without an error
     */
    String line(String scrape, boolean storeClosedCleanly) {
        StringBuilder line = new StringBuilder("stopped after ")
                .append(uptime(Duration.ofMillis(clock.millis() - startMillis)))
                .append(':');
        total(scrape, CONNECTED).ifPresent(n -> line.append(' ').append(n).append(" clients connected,"));
        total(scrape, PUBLISHED).ifPresent(n -> line.append(' ').append(n).append(" messages published,"));
        total(scrape, DELIVERED).ifPresent(n -> line.append(' ').append(n).append(" delivered,"));
        return line.append(storeClosedCleanly ? " store closed cleanly" : " store NOT closed cleanly (see above)")
                .toString();
    }

    private static String uptime(Duration d) {
        return d.toDays() > 0
                ? String.format(
                        Locale.ROOT,
                        "%dd%02dh%02dm%02ds",
                        d.toDays(),
                        d.toHoursPart(),
                        d.toMinutesPart(),
                        d.toSecondsPart())
                : String.format(Locale.ROOT, "%dh%02dm%02ds", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
    }

    /** The sum of a counter's samples over all its labels, if the scrape has it. */
    static OptionalLong total(String scrape, String name) {
        double sum = 0;
        boolean found = false;
        for (String sample : scrape.split("\n")) {
            if (sample.startsWith(name + ' ') || sample.startsWith(name + '{')) {
                sum += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? OptionalLong.of(Math.round(sum)) : OptionalLong.empty();
    }
}
