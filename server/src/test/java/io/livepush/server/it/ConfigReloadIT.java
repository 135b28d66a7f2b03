package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file as an operator uses it: start-up errors, and SIGHUP reloads of the shaded jar. */
class ConfigReloadIT {
    private static final Pattern DEV_TOKEN = Pattern.compile("dev token (\\S+)");

    @TempDir
    Path dir;

    @Test
    void anUnknownKeyEndsTheStartInOneLineWithItsLineAndExit2() throws Exception {
        Path file = write("tcp-port: 0\nws-prot: 0\n");
        try (ServerProcess p = ServerProcess.launch("--config", file.toString())) {
            assertThat(p.awaitExit()).isEqualTo(2);
            assertThat(p.output())
                    .isEqualTo("push-server: config file " + file
                            + " line 2: unknown key 'ws-prot' (did you mean 'ws-port'?) (see push-server --help)");
        }
    }

    @Test
    void sighupAppliesNewNamespacesAndRefusesWholeAFileThatChangesAPort() throws Exception {
        Path file = write(config("true", 0));
        try (ServerProcess p = ServerProcess.start(serverArgs(file))) {
            Matcher token = DEV_TOKEN.matcher(p.awaitLine(l -> l.contains("development secrets")));
            assertThat(token.find()).isTrue();
            try (TestClient client = TestClient.open(p.tcpAddress())) {
                client.connect(token.group(1));
                assertThat(client.publish("news.today", "before").hasPublished())
                        .isTrue();

                write(config("false", 0));
                p.hangUp();
                assertThat(p.awaitLine(l -> l.contains("config reloaded")))
                        .contains("1 namespaces besides the default");
                assertThat(client.publish("news.today", "after").getError().getCode())
                        .as("the new namespace applies to the next publish")
                        .isEqualTo(ErrorCode.FORBIDDEN);

                write(config("true", 7777));
                p.hangUp();
                assertThat(p.awaitLine(l -> l.contains("config reload refused")))
                        .contains("WARN")
                        .contains("nothing applied: tcp-port cannot change without a restart");
                assertThat(client.publish("news.today", "refused reload")
                                .getError()
                                .getCode())
                        .as("the namespace change of a refused file is not applied either")
                        .isEqualTo(ErrorCode.FORBIDDEN);

                write("tcp-port: 0\nnamespaces:\n  \"news.\":\n    publish: perhaps\n");
                p.hangUp();
                assertThat(p.awaitLine(l -> l.contains("config reload refused")))
                        .contains("keeping the running config")
                        .contains("line 4: namespaces: 'news.': publish: 'perhaps'");
                assertThat(client.publish("other", "still served").hasPublished())
                        .isTrue();
            }
            assertThat(p.terminate()).as("SIGHUP did not stop it").isEqualTo(143);
        }
    }

    /** Under nohup the JVM cannot take SIGHUP over: the server says so once, and a hang-up changes nothing. */
    @Test
    void aServerStartedWithHangUpIgnoredSaysItCannotReload() throws Exception {
        Path file = write(config("true", 0));
        try (ServerProcess p = ServerProcess.startIgnoringHangUp(serverArgs(file))) {
            assertThat(p.awaitLine(l -> l.contains("SIGHUP is ignored")))
                    .contains("WARN")
                    .contains("only by a restart");
            p.hangUp();
            assertThat(p.terminate()).as("still running after the hang-up").isEqualTo(143);
            assertThat(p.output()).doesNotContain("config reload");
        }
    }

    /** The TCP port comes from the file: a flag would override the file's change. */
    private String[] serverArgs(Path file) {
        return new String[] {
            "--config", file.toString(),
            "--ws-port", "0",
            "--admin-port", "0",
            "--data-dir", dir.resolve("data").toString(),
            "--store-max-channels", "1000",
            "--applet-max-entries", "1000",
            "--sync-max-items", "1000",
            "--sync-max-spaces", "1000"
        };
    }

    private static String config(String publish, int tcpPort) {
        return "tcp-port: " + tcpPort + "\nnamespaces:\n  \"news.\":\n    publish: " + publish + "\n";
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("push.yaml"), yaml, StandardCharsets.UTF_8);
    }
}
