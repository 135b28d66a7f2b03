package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livepush.server.testing.TestCertificate;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The share page in a real headless Chromium: loads with the recent history, shows live messages,
 * and after its connection is dropped reconnects (after a backoff) and resumes — what was missed
 * appears, in order, once. Over https it connects with wss.
 */
class SharePageIT {
    private static final TestCertificate.PemFiles TLS_FILES =
            TestCertificate.localhost().writeToTempDir();

    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    @RegisterExtension
    static final PushServerExtension tlsServer =
            new PushServerExtension(b -> b.tlsCert(TLS_FILES.cert()).tlsKey(TLS_FILES.key()));

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String STATE = "JSON.stringify({"
            + "state: document.getElementById('status').dataset.state,"
            + "connects: window.sharePage ? window.sharePage.connects : 0,"
            + "members: document.getElementById('members').textContent,"
            + "seqs: Array.from(document.querySelectorAll('#messages li')).map(li => Number(li.dataset.seq)),"
            + "texts: Array.from(document.querySelectorAll('#messages .text')).map(e => e.textContent),"
            + "kinds: Array.from(document.querySelectorAll('#messages .kind')).map(e => e.textContent),"
            + "injected: document.querySelector('#messages b') !== null})";

    private final AdminClient admin = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
    private final AdminClient tlsAdmin = new AdminClient(tlsServer.adminUrl(), PushServerExtension.API_KEY);

    @AfterAll
    static void deleteTlsFiles() {
        TLS_FILES.delete();
    }

    @BeforeAll
    static void needsChromium() {
        Assumptions.assumeTrue(
                Files.isExecutable(Chromium.BINARY),
                "skipped: " + Chromium.BINARY + " is missing (apt-get install chromium; .ci/run does)");
    }

    @Test
    void sharePageShowsHistoryThenLiveMessagesAndResumesAfterADrop() throws Exception {
        String room = "room.share";
        publish(room, "chat", "before <b>1</b>");
        try (Chromium chromium = Chromium.start()) {
            chromium.navigate(server.webUrl() + "/share/" + room + "?token=" + shareToken("viewer-1", room));

            JsonNode s = awaitState(
                    chromium,
                    st -> texts(st).equals(List.of("before <b>1</b>"))
                            && "live".equals(st.path("state").asText()));
            assertThat(s.path("injected").asBoolean())
                    .as("payloads are text, never HTML")
                    .isFalse();
            assertThat(s.path("members").asText()).isEqualTo("0 in the room");

            publish(room, "gift", "live 2");
            s = awaitState(chromium, st -> texts(st).size() == 2);
            assertThat(texts(s)).containsExactly("before <b>1</b>", "live 2");
            assertThat(strings(s.path("kinds"))).containsExactly("chat", "gift");

            JsonNode closed = admin.post("/api/v1/users/viewer-1/disconnect", AdminClient.object())
                    .json();
            assertThat(closed.path("closed").asInt()).isEqualTo(1);
            publish(room, "chat", "missed 3"); // the page waits a backoff before reconnecting
            publish(room, "chat", "missed 4");

            s = awaitState(
                    chromium,
                    st -> st.path("connects").asInt() >= 2
                            && texts(st).size() >= 4
                            && "live".equals(st.path("state").asText()));
            publish(room, "chat", "after 5");
            s = awaitState(chromium, st -> texts(st).size() >= 5);

            assertThat(texts(s)).containsExactly("before <b>1</b>", "live 2", "missed 3", "missed 4", "after 5");
            List<Integer> seqs = new ArrayList<>();
            s.path("seqs").forEach(n -> seqs.add(n.asInt()));
            assertThat(seqs).containsExactly(1, 2, 3, 4, 5);
        }
    }

    /**
     * Headless Chromium's tabs are always visible, so the test hides the page the way a browser does
     * from the page's point of view: {@code document.hidden} and a {@code visibilitychange} event.
     */
    @Test
    void hiddenPageGoesToBackgroundModeAndGetsWhatItMissedWhenShown() throws Exception {
        String room = "room.share-hidden";
        publish(room, "chat", "seen 1");
        try (Chromium chromium = Chromium.start()) {
            chromium.navigate(server.webUrl() + "/share/" + room + "?token=" + shareToken("viewer-hidden", room));
            awaitState(
                    chromium,
                    st -> texts(st).equals(List.of("seen 1"))
                            && "live".equals(st.path("state").asText()));

            setHidden(chromium, true);
            awaitState(chromium, st -> "background".equals(st.path("state").asText()));
            publish(room, "chat", "away 2");
            publish(room, "chat", "away 3");
            JsonNode info = admin.get("/api/v1/channels/" + room).json();
            assertThat(info.path("subscribers").asInt())
                    .as("the hidden page still follows the room")
                    .isEqualTo(1);
            assertThat(texts(chromium.evaluateJson(STATE))).containsExactly("seen 1");

            setHidden(chromium, false);
            JsonNode s = awaitState(
                    chromium,
                    st -> texts(st).size() >= 3
                            && "live".equals(st.path("state").asText()));
            publish(room, "chat", "live 4");
            s = awaitState(chromium, st -> texts(st).size() >= 4);
            assertThat(texts(s)).containsExactly("seen 1", "away 2", "away 3", "live 4");
            List<Integer> seqs = new ArrayList<>();
            s.path("seqs").forEach(n -> seqs.add(n.asInt()));
            assertThat(seqs).containsExactly(1, 2, 3, 4);
            assertThat(s.path("connects").asInt())
                    .as("the same connection throughout")
                    .isEqualTo(1);
        }
    }

    private static void setHidden(Chromium chromium, boolean hidden) throws Exception {
        chromium.evaluateJson("(function () {"
                + "Object.defineProperty(document, 'hidden', {configurable: true, get: () => " + hidden + "});"
                + "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => '"
                + (hidden ? "hidden" : "visible") + "'});"
                + "document.dispatchEvent(new Event('visibilitychange'));"
                + "return JSON.stringify(document.hidden); })()");
    }

    @Test
    void overHttpsThePageConnectsWithWssAndGoesLive() throws Exception {
        String room = "room.share-tls";
        publish(tlsAdmin, room, "chat", "over tls 1");
        try (Chromium chromium = Chromium.start()) {
            chromium.ignoreCertificateErrors(); // the test server's certificate is self-signed
            chromium.navigate("https://127.0.0.1:" + tlsServer.wsAddress().getPort() + "/share/" + room + "?token="
                    + shareToken(tlsAdmin, "viewer-tls", room));

            // Live means a WebSocket over TLS: the port speaks nothing else, and the browser would block
            // a ws:// socket from an https page as mixed content.
            awaitState(
                    chromium,
                    st -> texts(st).equals(List.of("over tls 1"))
                            && "live".equals(st.path("state").asText()));
            publish(tlsAdmin, room, "chat", "over tls 2");
            JsonNode s = awaitState(chromium, st -> texts(st).size() == 2);
            assertThat(texts(s)).containsExactly("over tls 1", "over tls 2");
        }
    }

    private JsonNode awaitState(Chromium chromium, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = chromium.evaluateJson(STATE);
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(50); // polling the DOM; the deadline bounds it
        }
        throw new AssertionError("page did not reach the expected state within " + DEADLINE + "; last: " + last
                + "\nchromium log:\n" + chromium.log());
    }

    private String shareToken(String viewer, String room) {
        return shareToken(admin, viewer, room);
    }

    private static String shareToken(AdminClient admin, String viewer, String room) {
        ObjectNode body =
                AdminClient.object().put("sub", viewer).put("ttl_s", 600).put("channel", room);
        body.putArray("allow").add("subscribe").add("history");
        AdminClient.Reply reply = admin.post("/api/v1/tokens", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("token").asText();
    }

    private void publish(String room, String kind, String text) {
        publish(admin, room, kind, text);
    }

    private static void publish(AdminClient admin, String room, String kind, String text) {
        AdminClient.Reply reply = admin.post(
                "/api/v1/channels/" + room + "/messages",
                AdminClient.object().put("kind", kind).put("text", text));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private static List<String> texts(JsonNode state) {
        return strings(state.path("texts"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
