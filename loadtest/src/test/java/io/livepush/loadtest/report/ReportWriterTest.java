package io.livepush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.stats.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @Test
    void dataCannotCloseTheInlineScript(@TempDir Path dir) throws Exception {
        Summary s = new Summary(
                "fanout",
                "127.0.0.1:7070",
                "tcp",
                "2026-11-21T00:00:00Z",
                false,
                List.of("evil </script><script>alert(1)</script>"),
                new Summary.Config(1, 10, 1000, 100, "room.x"),
                new Summary.Counts(1, 10, 10, 10, 10, 10, 10, 0, 1.5),
                new Summary.Latency(10, 1, 2, 3, 4, 5, 1.5),
                new Summary.Continuity(0, 0, 0),
                List.of(new Sample(1, 10, 10, 1, 3, 5, 2, 0, 0)));

        ReportWriter.write(s, dir);

        String html = Files.readString(dir.resolve(ReportWriter.REPORT_HTML));
        assertThat(html).containsOnlyOnce("</script>").contains("<\\/script>");
        var json = new ObjectMapper()
                .readTree(dir.resolve(ReportWriter.SUMMARY_JSON).toFile());
        assertThat(json.path("failures").get(0).asText()).isEqualTo("evil </script><script>alert(1)</script>");
        assertThat(json.path("timeline").get(0).path("p99Ms").asDouble()).isEqualTo(3.0);
    }
}
