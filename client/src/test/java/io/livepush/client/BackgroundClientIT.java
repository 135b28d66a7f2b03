package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.livepush.proto.v1.ChannelResumed;
import io.livepush.proto.v1.Foregrounded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PushClient#background()} and {@link PushClient#foreground()} against a real server. */
class BackgroundClientIT {

    @RegisterExtension
    static final TestServer SERVER = new TestServer();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void foregroundDeliversWhatWasMissedInTheBackgroundInOrderOnce() throws Exception {
        Recorder rx = new Recorder();
        try (PushClient viewer = SERVER.client("bg-viewer", rx).build();
                PushClient publisher =
                        SERVER.client("bg-publisher", new Recorder()).build()) {
            viewer.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            viewer.join("bg.client.room").get(10, TimeUnit.SECONDS);
            viewer.subscribe("bg.client.inbox").get(10, TimeUnit.SECONDS);
            publish(publisher, "bg.client.room", 1, 20);
            Recorder.await("20 live messages", WAIT, () -> rx.count("bg.client.room") >= 20);

            viewer.background().get(10, TimeUnit.SECONDS);
            publish(publisher, "bg.client.room", 21, 220);
            publish(publisher, "bg.client.inbox", 1, 5);
            // A round trip on the viewer's connection: anything sent to it before is in by now.
            viewer.history("bg.client.room", 0, 1).get(10, TimeUnit.SECONDS);
            assertThat(rx.count("bg.client.room"))
                    .as("nothing live in the background")
                    .isEqualTo(20);
            assertThat(rx.count("bg.client.inbox")).isZero();

            Foregrounded fg = viewer.foreground().get(10, TimeUnit.SECONDS);
            assertThat(fg.getChannelsList())
                    .extracting(ChannelResumed::getChannel, ChannelResumed::getRecovered, ChannelResumed::getReplayed)
                    .containsExactly(tuple("bg.client.room", true, 200), tuple("bg.client.inbox", true, 5));
            Recorder.await(
                    "the missed messages",
                    WAIT,
                    () -> rx.count("bg.client.room") >= 220 && rx.count("bg.client.inbox") >= 5);
            publish(publisher, "bg.client.room", 221, 221);
            Recorder.await("live again", WAIT, () -> rx.count("bg.client.room") >= 221);
            rx.assertExactlyOnceInOrder("bg.client.room", 221);
            rx.assertExactlyOnceInOrder("bg.client.inbox", 5);
            assertThat(rx.resets).isEmpty();
        }
    }

    @Test
    void aReconnectInTheBackgroundStaysInTheBackground() throws Exception {
        Recorder rx = new Recorder();
        try (PushClient viewer = SERVER.client("bg-reconnect", rx).build();
                PushClient publisher =
                        SERVER.client("bg-reconnect-pub", new Recorder()).build()) {
            viewer.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            viewer.subscribe("bg.client.again").get(10, TimeUnit.SECONDS);
            publish(publisher, "bg.client.again", 1, 3);
            Recorder.await("3 live messages", WAIT, () -> rx.count("bg.client.again") >= 3);
            viewer.background().get(10, TimeUnit.SECONDS);

            SERVER.disconnect("bg-reconnect");
            Recorder.await(
                    "a reconnect",
                    WAIT,
                    () -> rx.states.contains(ConnectionState.DISCONNECTED)
                            && rx.states.lastIndexOf(ConnectionState.CONNECTED)
                                    > rx.states.indexOf(ConnectionState.DISCONNECTED));
            // Sent after the restored subscribe and background: once answered, the server has both.
            viewer.history("bg.client.again", 0, 1).get(10, TimeUnit.SECONDS);
            publish(publisher, "bg.client.again", 4, 10);
            viewer.history("bg.client.again", 0, 1).get(10, TimeUnit.SECONDS);
            assertThat(rx.count("bg.client.again")).isEqualTo(3);

            viewer.foreground().get(10, TimeUnit.SECONDS);
            Recorder.await("the missed messages", WAIT, () -> rx.count("bg.client.again") >= 10);
            rx.assertExactlyOnceInOrder("bg.client.again", 10);
        }
    }

    private static void publish(PushClient publisher, String channel, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            publisher
                    .publish(channel, "chat", ("m" + i).getBytes(StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
        }
    }
}
