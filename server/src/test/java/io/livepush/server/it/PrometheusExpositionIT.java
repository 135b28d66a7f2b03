package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.testing.Promtool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real scrape passes {@code promtool check metrics}: Prometheus conventions for names, units, types and help. */
class PrometheusExpositionIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    @Test
    void scrapeAfterTrafficPassesPromtoolLint() throws Exception {
        Promtool.assumeInstalled();
        String scrape = MetricsTraffic.driveAndScrape(server, "exposition.lint");

        Promtool.Result lint = Promtool.run(Path.of("."), scrape, "check", "metrics");

        assertThat(lint.output()).as("promtool check metrics").isEmpty();
        assertThat(lint.exitCode()).isZero();
        assertThat(scrape).contains("\npush_build_info{", "\npush_disconnects_total{reason=\"client_closed\"} ");
    }
}
