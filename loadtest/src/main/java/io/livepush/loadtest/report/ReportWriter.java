package io.livepush.loadtest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes {@code summary.json} and {@code report.html}: one self-contained file whose inline script
 * draws SVG charts from the inline summary, so it opens from disk with no network.
 */
public final class ReportWriter {
    public static final String SUMMARY_JSON = "summary.json";
    public static final String REPORT_HTML = "report.html";
    private static final String DATA_PLACEHOLDER = "/*SUMMARY_JSON*/null";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    public static void write(Summary summary, Path dir) throws IOException {
        Files.createDirectories(dir);
        String json = JSON.writeValueAsString(summary);
        Files.writeString(dir.resolve(SUMMARY_JSON), json + "\n", StandardCharsets.UTF_8);
        // Inside <script>, "</" could end the element early: "<\/" means the same to JSON.parse and JS.
        String html = template().replace(DATA_PLACEHOLDER, json.replace("</", "<\\/"));
        Files.writeString(dir.resolve(REPORT_HTML), html, StandardCharsets.UTF_8);
    }

    private static String template() throws IOException {
        try (InputStream in = ReportWriter.class.getResourceAsStream("report-template.html")) {
            return new String(
                    Objects.requireNonNull(in, "report-template.html").readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
