package io.livepush.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.server.proxy.ProxyHook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespacesTest {
    @TempDir
    Path dir;

    @Test
    void longestMatchingPrefixWinsElseTheDefault() throws IOException {
        Namespaces namespaces = load("""
                namespaces:
                  "chat.":
                    retention-max-messages: 10
                  "chat.vip.":
                    retention-max-messages: 20
                  "news:":
                    publish: false
                """);

        assertThat(namespaces.forChannel("chat.vip.room1").prefix()).isEqualTo("chat.vip.");
        assertThat(namespaces.forChannel("chat.room1").prefix()).isEqualTo("chat.");
        assertThat(namespaces.forChannel("chat").prefix())
                .as("shorter than the prefix")
                .isEmpty();
        assertThat(namespaces.forChannel("news:today").publish()).isFalse();
        assertThat(namespaces.forChannel("other")).isSameAs(namespaces.defaultNamespace());
    }

    @Test
    void everyOptionIsReadAndTheRestFallsBackToTheFlags() throws IOException {
        Namespaces namespaces = load("""
                retention-max-messages: 500
                retention-max-age-s: 600
                max-frame-bytes: 2048
                proxy-join-url: http://127.0.0.1:9/join
                proxy-publish-url: http://127.0.0.1:9/publish
                namespaces:
                  "room.":
                    retention-max-messages: 100
                    retention-max-age-s: 3600
                    publish: false
                    presence: false
                    max-message-bytes: 512
                    join-leave-events: true
                    proxy: [join]
                  "inbox.":
                    presence: false
                  "open.":
                    proxy: []
                """);

        assertThat(namespaces.forChannel("room.1"))
                .isEqualTo(new Namespace("room.", 100, 3600, false, false, 512, true, Set.of(ProxyHook.JOIN)));
        assertThat(namespaces.forChannel("inbox.1"))
                .as("the hooks that are on, as the default namespace has them")
                .isEqualTo(new Namespace(
                        "inbox.", 500, 600, true, false, 2048, false, Set.of(ProxyHook.JOIN, ProxyHook.PUBLISH)));
        assertThat(namespaces.forChannel("open.1").proxyHooks()).isEmpty();
        assertThat(namespaces.defaultNamespace())
                .isEqualTo(new Namespace(
                        "", 500, 600, true, true, 2048, false, Set.of(ProxyHook.JOIN, ProxyHook.PUBLISH)));
    }

    @Test
    void aNamespaceMayNameOnlyHooksThatAreOn() throws IOException {
        assertThatThrownBy(() -> load("""
                        proxy-join-url: http://127.0.0.1:9/join
                        namespaces:
                          "chat.":
                            proxy: [join, subscribe]
                        """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("push.yaml: namespaces: 'chat.': proxy: subscribe"
                        + " (expected: a hook that is on; set --proxy-subscribe-url)");
        assertThat(load("namespaces:\n  \"chat.\":\n    presence: false\n")
                        .forChannel("chat.1")
                        .proxyHooks())
                .as("no hook on, none inherited")
                .isEmpty();
    }

    @Test
    void unknownOptionNamesNamespaceKeyAndLine() throws IOException {
        assertThatThrownBy(() -> load("namespaces:\n  \"chat.\":\n    presense: false\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("line 3: namespaces: 'chat.': unknown key 'presense' (did you mean 'presence'?)");
    }

    @Test
    void badValuesNameNamespaceKeyAndLine() throws IOException {
        assertThatThrownBy(() -> load("namespaces:\n  \"chat.\":\n    retention-max-messages: 0\n"))
                .hasMessageEndingWith(
                        "line 3: namespaces: 'chat.': retention-max-messages: '0' (expected: an integer > 0)");
        assertThatThrownBy(() -> load("namespaces:\n  \"chat.\":\n    publish: maybe\n"))
                .hasMessageEndingWith("line 3: namespaces: 'chat.': publish: 'maybe' (expected: true or false)");
        assertThatThrownBy(() -> load("namespaces:\n  \"chat.\":\n    proxy: [connect]\n"))
                .hasMessageEndingWith(
                        "line 3: namespaces: 'chat.': proxy: 'connect' (expected: any of join, subscribe, publish)");
        assertThatThrownBy(() -> load("namespaces:\n  \"chat room\":\n    publish: true\n"))
                .hasMessageContaining("line 2: namespaces: 'chat room': expected a channel-name prefix");
    }

    private Namespaces load(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("push.yaml"), yaml, StandardCharsets.UTF_8);
        return CommandLineOptions.parse(Map.of(), "--config", file.toString()).namespaces();
    }
}
