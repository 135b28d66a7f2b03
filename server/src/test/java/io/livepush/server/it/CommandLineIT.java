package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees of the shaded jar: flag errors, JSON logs, the shutdown summary, kept development secrets. */
class CommandLineIT {
    private static final Pattern DEVELOPMENT_SECRETS =
            Pattern.compile("development secrets \\(loopback only, kept in (\\S+); delete it for new ones\\):"
                    + " api key (\\S+) \\| dev token (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final List<ServerProcess> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(ServerProcess::close);
    }

    @Test
    void aValueThatDoesNotParseEndsInOneLineNamingTheFlagAndExit2() throws Exception {
        ServerProcess p = track(ServerProcess.launch(ServerProcess.onFreePorts(dataDir.toString(), "--tcp-port", "x")));

        assertThat(p.awaitExit()).isEqualTo(2);
        assertThat(p.output())
                .isEqualTo("push-server: Invalid value for option '--tcp-port': 'x' is not an int"
                        + " (see push-server --help)");
    }

    @Test
    void anUnknownFlagEndsInOneLineNamingItAndExit2() throws Exception {
        ServerProcess p = track(ServerProcess.launch("--tcp-prot=7070"));

        assertThat(p.awaitExit()).isEqualTo(2);
        assertThat(p.output()).isEqualTo("push-server: Unknown option: '--tcp-prot=7070' (see push-server --help)");
    }

    @Test
    void jsonLogsAreOneObjectPerLineUpToTheShutdownSummary() throws Exception {
        ServerProcess p = track(ServerProcess.start(
                ServerProcess.onFreePortsWithSmallStores(dataDir.toString(), "--log-format", "json")));
        String token = developmentSecrets(p).group(3);
        try (TestClient c = TestClient.open(p.tcpAddress())) {
            c.connect(token);
            assertThat(c.publish("json.room", "hello").getPublished().getSeq()).isEqualTo(1);
        }

        assertThat(p.terminate()).as("stopped by SIGTERM").isEqualTo(143);

        List<String> lines = p.output().lines().toList();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.get("level").asText()).as(line).isNotEmpty();
            assertThat(event.get("loggerName").asText()).as(line).isNotEmpty();
            events.add(event);
        }
        assertThat(events.get(0).get("formattedMessage").asText())
                .as("the first line is JSON too: the format is chosen before the first logger exists")
                .isNotEmpty();
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("level").asText()).isEqualTo("INFO");
        assertThat(last.get("formattedMessage").asText())
                .as("written although the JVM exits right after it: the async appender is flushed")
                .matches("stopped after 0h\\d\\dm\\d\\ds: 1 clients connected, 1 messages published, \\d+ delivered,"
                        + " store closed cleanly");
    }

    @Test
    void aRestartKeepsTheDevelopmentSecretsInAFileOnlyTheOwnerCanRead() throws Exception {
        ServerProcess first = track(ServerProcess.start(ServerProcess.onFreePortsWithSmallStores(dataDir.toString())));
        Matcher before = developmentSecrets(first);
        Path file = Path.of(before.group(1));
        assertThat(file).isEqualTo(dataDir.resolve("dev-secrets.properties").toAbsolutePath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(first.terminate()).isEqualTo(143);

        ServerProcess second = track(ServerProcess.start(ServerProcess.onFreePortsWithSmallStores(dataDir.toString())));
        Matcher after = developmentSecrets(second);
        assertThat(after.group(1)).isEqualTo(before.group(1));
        assertThat(after.group(2)).as("the api key").isEqualTo(before.group(2));
        assertThat(new AdminClient(second.adminUrl(), before.group(2))
                        .get("/api/v1/channels/dev.nothing")
                        .status())
                .as("the first run's key is accepted")
                .isEqualTo(404);
        try (TestClient c = TestClient.open(second.tcpAddress())) {
            assertThat(c.connect(before.group(3)).getConnected().getUserId())
                    .as("a client holding the first run's dev token connects again")
                    .isEqualTo("dev");
        }
    }

    @Test
    void aPublicBindIgnoresTheDevelopmentSecretsAndStillRefusesToStart() throws Exception {
        developmentSecrets(track(ServerProcess.start(ServerProcess.onFreePortsWithSmallStores(dataDir.toString()))));
        processes.remove(0).terminate();

        ServerProcess p = track(ServerProcess.launch(
                ServerProcess.onFreePortsWithSmallStores(dataDir.toString(), "--bind", "0.0.0.0")));

        assertThat(p.awaitExit()).isEqualTo(2);
        assertThat(p.output())
                .contains(
                        "refusing to start: --bind 0.0.0.0 is not loopback: --token-secret and --api-key are required")
                .doesNotContain("listening tcp=");
    }

    @Test
    void aCorruptDevelopmentSecretsFileEndsTheStartInOneLineNamingIt() throws Exception {
        Path file = Files.writeString(dataDir.resolve("dev-secrets.properties"), "api-key=\\u12\n");

        ServerProcess p = track(ServerProcess.launch(ServerProcess.onFreePortsWithSmallStores(dataDir.toString())));

        assertThat(p.awaitExit()).isEqualTo(2);
        assertThat(p.output())
                .contains("refusing to start: cannot use the development secrets in " + file.toAbsolutePath()
                        + " (--data-dir): ")
                .contains("delete the file for new ones")
                .doesNotContain("\tat ")
                .doesNotContain("listening tcp=");
    }

    /** The development secrets line's groups: file, api key, dev token. */
    private static Matcher developmentSecrets(ServerProcess p) throws IOException {
        String line = p.awaitLine(l -> l.contains("development secrets"));
        if (line.startsWith("{")) {
            line = JSON.readTree(line).get("formattedMessage").asText();
        }
        Matcher m = DEVELOPMENT_SECRETS.matcher(line);
        assertThat(m.find()).as(p.output()).isTrue();
        return m;
    }

    private ServerProcess track(ServerProcess p) {
        processes.add(p);
        return p;
    }
}
