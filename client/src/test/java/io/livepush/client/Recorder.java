package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** A listener that records what it is told, for assertions from the test thread. */
class Recorder implements PushListener {
    final Map<String, List<Long>> seqs = new ConcurrentHashMap<>();
    final List<String> resets = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(String channel, Message message) {
        seqs.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(message.getSeq());
    }

    @Override
    public void onReset(String channel, String epoch) {
        resets.add(channel + "@" + epoch);
    }

    @Override
    public void onError(Throwable error) {
        errors.add(error);
    }

    @Override
    public void onConnectionState(ConnectionState state) {
        states.add(state);
    }

    List<Long> seqs(String channel) {
        return new ArrayList<>(seqs.getOrDefault(channel, List.of()));
    }

    int count(String channel) {
        return seqs.getOrDefault(channel, List.of()).size();
    }

    /** Every seq from 1 to {@code n}, once each, in order. */
    void assertExactlyOnceInOrder(String channel, long n) {
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= n; s++) {
            expected.add(s);
        }
        assertThat(seqs(channel)).as("seqs delivered on %s", channel).containsExactlyElementsOf(expected);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
