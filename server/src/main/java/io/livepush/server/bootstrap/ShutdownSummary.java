package io.livepush.server.bootstrap;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one INFO line of a clean stop: how long the server ran, the client connections it accepted, the
 * messages published and delivered, and whether the store closed cleanly. The message counts are read from
 * the metrics as scraped, by name, and left out of the line if a metric is not there.
 */
final class ShutdownSummary {
    private static final String PUBLISHED = "push_messages_published_total";
    private static final String DELIVERED = "push_messages_delivered_total";

    private final Clock clock;
    private final long startMillis;
    private final AcceptCounter accepted = new AcceptCounter();

    ShutdownSummary(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
        this.startMillis = clock.millis();
    }

    /** Counts the connections a listening channel accepts; goes in the pipeline of each client port's listener. */
    ChannelHandler acceptCounter() {
        return accepted;
    }

    /**
     * @param scrape the metrics in Prometheus text format, read before they close
     * @param storeClosedCleanly whether every store file closed without an error
     */
    String line(String scrape, boolean storeClosedCleanly) {
        StringBuilder line = new StringBuilder("stopped after ")
                .append(uptime(Duration.ofMillis(clock.millis() - startMillis)))
                .append(": ")
                .append(accepted.count.sum())
                .append(" connections accepted");
        total(scrape, PUBLISHED).ifPresent(n -> line.append(", ").append(n).append(" messages published"));
        total(scrape, DELIVERED).ifPresent(n -> line.append(", ").append(n).append(" delivered"));
        return line.append(storeClosedCleanly ? "; store closed cleanly" : "; store NOT closed cleanly (see above)")
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

    /** A listening channel reads one child channel per accepted connection. */
    @Sharable
    private static final class AcceptCounter extends ChannelInboundHandlerAdapter {
        private final LongAdder count = new LongAdder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object child) {
            count.increment();
            ctx.fireChannelRead(child);
        }
    }
}
