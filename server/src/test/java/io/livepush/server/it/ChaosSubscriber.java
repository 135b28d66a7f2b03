package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribe;
import io.livepush.proto.v1.Subscribed;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One subscribing user of {@link ChaosIT}, across server lives: follows every channel from its first
 * message, and on each new connection resumes with {@code since} = (epoch, last seq seen). Checks as
 * frames arrive: resumes are recovered with the epoch of the first life and replay exactly what it
 * lacks; per channel, seq goes up by one from message to message (no hole, no duplicate).
 */
final class ChaosSubscriber {
    private static final Duration POLL = Duration.ofMillis(50);

    private final String user;
    private final List<String> channels;
    private final Map<String, String> epochs = new HashMap<>();
    /** Per channel, the payload of seq {@code i + 1} at index {@code i}. */
    private final Map<String, List<String>> seen = new HashMap<>();
    /** Set by the test to end a run once these last seqs are seen; null: run until the server closes. */
    private volatile Map<String, Long> until;

    ChaosSubscriber(String user, List<String> channels) {
        this.user = user;
        this.channels = channels;
        channels.forEach(ch -> seen.put(ch, new ArrayList<>()));
    }

    String user() {
        return user;
    }

    /** What it saw of {@code channel}, seq 1 first; read only once no {@link #run} is going. */
    List<String> seen(String channel) {
        return seen.get(channel);
    }

    /** Ends the current run once every channel's {@code lastSeqs} has been seen. */
    void stopAt(Map<String, Long> lastSeqs) {
        until = Map.copyOf(lastSeqs);
    }

    /**
     * One connection: subscribes to every channel (resuming where it left off), counts down
     * {@code subscribed} once every answer came, and takes messages until the server closes the
     * connection or {@link #stopAt} is reached.
     */
    void run(InetSocketAddress server, String token, CountDownLatch subscribed)
            throws IOException, InterruptedException {
        try (TestClient c = TestClient.open(server)) {
            c.connect(token);
            Map<Integer, String> asked = new HashMap<>();
            for (String ch : channels) {
                Subscribe.Builder sub = Subscribe.newBuilder().setChannel(ch);
                if (epochs.containsKey(ch)) {
                    sub.setSince(Position.newBuilder()
                            .setEpoch(epochs.get(ch))
                            .setSeq(seen.get(ch).size()));
                }
                asked.put(c.send(ClientFrame.newBuilder().setSubscribe(sub)), ch);
            }
            while (!caughtUp()) {
                ServerFrame f = c.poll(POLL);
                if (f == null && c.isClosedByServer()) {
                    f = c.poll(Duration.ZERO); // the reader queues every frame before it flags the close
                    if (f == null) {
                        return;
                    }
                }
                if (f == null) {
                    continue;
                }
                if (f.hasMessage()) {
                    message(f.getMessage());
                } else {
                    String ch = asked.remove(f.getReplyTo());
                    assertThat(f.hasSubscribed())
                            .withFailMessage("%s: answer to subscribe %s: %s", user, ch, f)
                            .isTrue();
                    subscribed(ch, f.getSubscribed());
                    if (asked.isEmpty()) {
                        subscribed.countDown();
                    }
                }
            }
        }
    }

    private void subscribed(String ch, Subscribed answer) {
        long had = seen.get(ch).size();
        String epoch = epochs.putIfAbsent(ch, answer.getEpoch());
        if (epoch == null) {
            assertThat(answer.getLastSeq())
                    .as("%s: %s has no message before the first subscribe", user, ch)
                    .isZero();
            return;
        }
        assertThat(answer.getEpoch())
                .as("%s: epoch of %s after a restart", user, ch)
                .isEqualTo(epoch);
        assertThat(answer.getRecovered())
                .as("%s: resume of %s from %d (last seq %d)", user, ch, had, answer.getLastSeq())
                .isTrue();
        assertThat(answer.getReplayed())
                .as("%s: replay of %s from %d", user, ch, had)
                .isEqualTo(answer.getLastSeq() - had);
    }

    private void message(Message m) {
        List<String> payloads = seen.get(m.getChannel());
        assertThat(payloads)
                .as("%s: message of a channel it did not ask for: %s", user, m)
                .isNotNull();
        assertThat(m.getEpoch())
                .as("%s: epoch of %s seq %d", user, m.getChannel(), m.getSeq())
                .isEqualTo(epochs.get(m.getChannel()));
        assertThat(m.getSeq())
                .as("%s: seq after %s seq %d (a hole or a duplicate)", user, m.getChannel(), payloads.size())
                .isEqualTo(payloads.size() + 1L);
        payloads.add(m.getPayload().toStringUtf8());
    }

    private boolean caughtUp() {
        Map<String, Long> target = until;
        return target != null
                && target.entrySet().stream().allMatch(e -> seen.get(e.getKey()).size() >= e.getValue());
    }
}
