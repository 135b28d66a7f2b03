package io.livepush.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The compose files' Alertmanager config passes Debian's {@code amtool} (package prometheus-alertmanager). */
class AlertmanagerConfigTest {
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");

    @Test
    void amtoolAcceptsTheConfig() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(AMTOOL), AMTOOL + " is not installed (prometheus-alertmanager)");
        Path config = RootPom.root().resolve("deploy/alertmanager/alertmanager.yml");

        Process amtool = new ProcessBuilder(AMTOOL.toString(), "check-config", config.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(amtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(amtool.waitFor(60, TimeUnit.SECONDS)).as("amtool finished").isTrue();

        assertThat(amtool.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS", "1 receivers", "1 inhibit rules");
    }
}
