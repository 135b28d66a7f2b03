package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.server.proxy.ProxyConfig;
import io.livepush.server.proxy.ProxyHook;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every metric the Grafana dashboard queries is one the server exposes: the dashboard is parsed, the metric
 * names taken out of each panel's PromQL, and checked against a real scrape after some traffic.
 */
class DashboardQueriesIT {
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "livepush.json");
    /** Only a node of a cluster has these (its presence counts the nodes). */
    private static final Set<String> CLUSTER_ONLY = Set.of("push_cluster_nodes");
    /** A sample line's name: what a query selects (histograms as {@code _bucket}, {@code _sum}, {@code _count}). */
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    /**
     * A proxy hook on, so that its meters exist (they do for hooks that are on); never called, since the
     * traffic's clients connect with tokens of the server's own.
     */
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(b -> b.proxy(new ProxyConfig(
            Map.of(ProxyHook.CONNECT, URI.create("http://127.0.0.1:9/connect")),
            Duration.ofSeconds(1),
            10,
            List.of())));

    @Test
    void everyPanelQueriesMetricsTheServerExposes() throws Exception {
        Map<String, Set<String>> queried = queriedMetrics(new ObjectMapper().readTree(DASHBOARD.toFile()));
        assertThat(queried).as("panels with queries").hasSizeGreaterThan(10);
        String scrape = MetricsTraffic.driveAndScrape(server, "dashboard.queries");

        // The GC pause meters appear with the first collection: ask for one, and give it a moment to be counted.
        Runtime.getRuntime().gc();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> missing = missing(queried, exposed(scrape));
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the scrape with a deadline: nothing signals a GC's meter
            missing = missing(queried, exposed(scrape = scrape()));
        }
        assertThat(missing).as("panel: metric the server does not expose").isEmpty();
    }

    private static String scrape() {
        return new AdminClient(server.adminUrl(), PushServerExtension.API_KEY)
                .getWithKey("/metrics", null)
                .body();
    }

    private static List<String> missing(Map<String, Set<String>> queried, Set<String> exposed) {
        List<String> missing = new ArrayList<>();
        queried.forEach((panel, names) -> {
            for (String name : names) {
                if (!exposed.contains(name) && !(CLUSTER_ONLY.contains(name) && !EngineUnderTest.redis())) {
                    missing.add(panel + ": " + name);
                }
            }
        });
        return missing;
    }

    private static Set<String> exposed(String scrape) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Panel title (and the template variables) → metric names in its queries, rows' nested panels included. */
    private static Map<String, Set<String>> queriedMetrics(JsonNode dashboard) {
        Map<String, Set<String>> byPanel = new LinkedHashMap<>();
        addPanels(dashboard.path("panels"), byPanel);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").isTextual()
                    ? variable.path("query").asText()
                    : variable.path("query").path("query").asText();
            if (!query.isEmpty() && !"datasource".equals(variable.path("type").asText())) {
                byPanel.put("variable " + variable.path("name").asText(), PromQl.metricNames(query));
            }
        }
        return byPanel;
    }

    private static void addPanels(JsonNode panels, Map<String, Set<String>> byPanel) {
        for (JsonNode panel : panels) {
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode target : panel.path("targets")) {
                names.addAll(PromQl.metricNames(target.path("expr").asText()));
            }
            if (!names.isEmpty()) {
                byPanel.merge(
                        panel.path("title").asText() + " (id "
                                + panel.path("id").asText() + ")",
                        names,
                        (a, b) -> {
                            a.addAll(b);
                            return a;
                        });
            }
            addPanels(panel.path("panels"), byPanel);
        }
    }
}
