package io.livepush.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.testing.Promtool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus files in {@code deploy/prometheus} pass promtool: the scrape configs (their relative
 * {@code rule_files} resolved as Prometheus does), the alert rules, and the rules' unit tests, which show
 * every alert firing, and staying quiet when healthy, under the compose and the Kubernetes job labels.
 */
class PrometheusRulesTest {
    private static final Path DIR = Path.of("..", "deploy", "prometheus");

    @BeforeEach
    void promtool() {
        Promtool.assumeInstalled();
    }

    @Test
    void scrapeConfigsAndTheirRuleFilesAreValid() throws Exception {
        for (String config : List.of("prometheus.yml", "prometheus.cluster.yml")) {
            Promtool.Result check = Promtool.run(DIR, null, "check", "config", config);

            assertThat(check.exitCode()).as(check.output()).isZero();
            assertThat(check.output()).contains("SUCCESS: " + config + " is valid");
        }
    }

    @Test
    void alertRulesAreValid() throws Exception {
        Promtool.Result check = Promtool.run(DIR, null, "check", "rules", "alerts.yml", "alerts.cluster.yml");

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).doesNotContain("WARNING");
    }

    @Test
    void everyAlertFiresUnderComposeAndKubernetesJobLabels() throws Exception {
        List<String> args =
                Stream.concat(Stream.of("test", "rules"), unitTests().stream()).toList();
        Promtool.Result tests = Promtool.run(DIR, null, args.toArray(String[]::new));

        assertThat(tests.exitCode()).as(tests.output()).isZero();
        assertThat(tests.output()).doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasUnitTestsAndNoRuleNamesAJob() throws IOException {
        String tests = String.join(
                "\n", unitTests().stream().map(f -> read(DIR.resolve(f))).toList());
        for (String rules : List.of("alerts.yml", "alerts.cluster.yml")) {
            String text = read(DIR.resolve(rules));
            assertThat(text).as(rules).doesNotContainPattern("job\\s*=~?\\s*\"");
            text.lines()
                    .map(String::strip)
                    .filter(l -> l.startsWith("- alert: "))
                    .map(l -> l.substring("- alert: ".length()))
                    .forEach(alert -> assertThat(tests)
                            .as("unit tests of " + alert)
                            .contains(
                                    "alertname: " + alert + "\n",
                                    "name: " + alert + " fires",
                                    alert + " stays quiet when healthy"));
        }
    }

    private static List<String> unitTests() throws IOException {
        try (Stream<Path> files = Files.list(DIR.resolve("tests"))) {
            return files.map(f -> "tests/" + f.getFileName())
                    .filter(f -> f.endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
