package io.livepush.loadtest.scenario;

import static io.livepush.loadtest.dsl.Actions.arrive;
import static io.livepush.loadtest.dsl.Actions.await;
import static io.livepush.loadtest.dsl.Actions.awaitMessages;
import static io.livepush.loadtest.dsl.Actions.connect;
import static io.livepush.loadtest.dsl.Actions.disconnect;
import static io.livepush.loadtest.dsl.Actions.repeat;
import static io.livepush.loadtest.dsl.Actions.subscribe;
import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static io.livepush.loadtest.scenario.ScenarioRun.left;
import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Checkpoint;
import io.livepush.loadtest.dsl.Feeders;
import io.livepush.loadtest.dsl.Gate;
import io.livepush.loadtest.dsl.Phases;
import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.dsl.Session;
import io.livepush.loadtest.engine.FileLimits;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.engine.RangePublisher;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.stats.ServerMemory;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Connection churn: in each round every client connects, subscribes to its own inbox
 * ({@code <prefix><i>}), gets the one message a publisher then sends to each inbox (exactly
 * {@code last_seq + 1} of its {@code subscribed} answer, in its epoch) and disconnects. After each round
 * the server's memory is measured; the summary compares the heap after the last round with the heap
 * after the first (a server that keeps something per connection or subscription grows round after
 * round). A lost message or any error fails the run; a heap that grew by more than 10% is flagged, not
 * failed: a GC's live set moves a little from one measurement to the next.
 */
public final class Churn {
    /** How much the heap after the last round may differ from after the first and still count as flat. */
    static final double FLAT_HEAP = 0.10;
    /** Publishes unanswered at a time: as many as {@code channels} keeps in flight by default. */
    static final int IN_FLIGHT = 1000;

    /**
     * @param rounds       how many times every client connects, gets its message and leaves
     * @param clients      how many clients, each with its own inbox
     * @param prefix       inbox names are the prefix and the client's number
     * @param payloadBytes the size of each message
     * @param duration     the longest the whole run may take; it stops by itself after it
     */
    public record Options(int rounds, int clients, String prefix, int payloadBytes, Duration duration) {
        public Options {
            Args.require(rounds > 0, "rounds", rounds, "> 0");
            Args.require(clients > 0, "clients", clients, "> 0");
            Args.channelPrefix("prefix", prefix);
            Args.require(payloadBytes >= Payloads.MIN_BYTES, "payloadBytes", payloadBytes, ">= " + Payloads.MIN_BYTES);
            Args.positive("duration", duration);
        }
    }

    /** The gates and checkpoints of one round. */
    private static final class Round {
        final Gate connect = new Gate();
        final Checkpoint subscribed = new Checkpoint();
        final Checkpoint left = new Checkpoint();
    }

    private final Options options;
    private final RunOptions run;
    private final ServerMemory memory;
    private final PrintStream console;
    private final List<Round> rounds = new ArrayList<>();

    public Churn(Options options, RunOptions run, ServerMemory memory, PrintStream console) {
        this.options = requireNonNull(options, "options");
        this.run = requireNonNull(run, "run");
        this.memory = requireNonNull(memory, "memory");
        this.console = requireNonNull(console, "console");
        FileLimits.check(options.clients() + 1);
        for (int i = 0; i < options.rounds(); i++) {
            rounds.add(new Round());
        }
    }

    Scenario clients() {
        Phases<Round> round = new Phases<>(rounds, options.clients());
        return scenario("churn")
                .inject(atOnceUsers(options.clients()))
                .feed(Feeders.sequence("user", "lt-churn-%d"))
                // The prefix holds channel-name characters only (no '%'): the publisher's names are the same.
                .feed(Feeders.sequence("inbox", options.prefix() + "%d"))
                .exec(repeat(
                        options.rounds(),
                        round.in(rd -> await(rd.connect)),
                        connect(),
                        subscribe("#{inbox}"),
                        round.in(rd -> arrive(rd.subscribed)),
                        awaitMessages("#{inbox}", 1),
                        disconnect(),
                        round.in(rd -> arrive(rd.left)),
                        round.advance()));
    }

    public Summary run() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.duration().toNanos();
        int n = options.clients();
        Map<String, Double> results = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (ScenarioRun r = new ScenarioRun(run, options.duration().plus(Duration.ofMinutes(10)), console)) {
            console.printf(
                    Locale.ROOT,
                    "churn: %,d rounds of %,d clients, each connecting, subscribing to its inbox %s<i>, getting "
                            + "one message and leaving -> %s, %s%s%n",
                    options.rounds(),
                    n,
                    options.prefix(),
                    run.nodes(),
                    r.transport(),
                    memory.measures() ? "" : " (no --server-pid / --metrics-url: server memory not measured)");
            String user = "lt-churn-publisher";
            RangePublisher publisher = r.connect(new RangePublisher(
                    user,
                    r.harness().tokens().mint(user),
                    options.prefix(),
                    options.payloadBytes(),
                    IN_FLIGHT,
                    r.harness().stats()));
            List<Session> clients = r.launch(clients());
            results.put("rounds", (double) options.rounds());
            results.put("clients", (double) n);
            if (!r.awaitAll(List.of(publisher.ready()), left(deadline))) {
                failures.add("the publisher did not come up");
            } else {
                rounds(r, clients, publisher, deadline, results, failures);
            }
            return r.finish(
                    "churn",
                    new Summary.Config(
                            n,
                            0,
                            options.duration().toMillis(),
                            options.payloadBytes(),
                            options.prefix() + "0-" + (n - 1)),
                    results,
                    failures);
        }
    }

    /** Runs the rounds one after the other; stops at the first that does not go through. */
    private void rounds(
            ScenarioRun r,
            List<Session> clients,
            RangePublisher publisher,
            long deadline,
            Map<String, Double> results,
            List<String> failures)
            throws IOException, InterruptedException {
        int n = options.clients();
        List<ServerMemory.Snapshot> after = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            Round rd = rounds.get(i);
            String which = String.format(Locale.ROOT, "round %d of %d", i + 1, rounds.size());
            long start = rd.connect.open();
            if (!r.await(rd.subscribed, clients, n, left(deadline))) {
                failures.add(which + ": " + rd.subscribed.arrived() + " of " + n + " clients subscribed");
                return;
            }
            CompletableFuture<RangePublisher.Sweep> sweep = publisher.publish(0, n);
            if (!r.awaitAll(List.of(sweep), left(deadline))) {
                failures.add(which + ": the publishes to the inboxes did not end in time");
                return;
            }
            RangePublisher.Sweep s = sweep.join();
            if (s.acked() < n) {
                failures.add(which + ": " + s.acked() + " of " + n + " publishes acknowledged, errors " + s.errors());
                return;
            }
            if (!r.await(rd.left, clients, n, left(deadline))) {
                failures.add(which + ": " + rd.left.arrived() + " of " + n + " clients got their message and left");
                return;
            }
            double ms = (System.nanoTime() - start) / 1e6;
            if (memory.measures()) {
                // The clients saw their closes; the server may still be taking them out of their channels.
                if (!memory.awaitQuiet(1, 0, left(deadline))) {
                    failures.add(which + ": the server still counts the round's connections");
                    return;
                }
                ServerMemory.Snapshot m = memory.measure();
                after.add(m);
                MemoryResults.put(results, m, "Round" + (i + 1));
                console.printf(
                        Locale.ROOT,
                        "%s: %,d clients in and out in %,.0f ms; server memory: %s%n",
                        which,
                        n,
                        ms,
                        m.describe());
            } else {
                console.printf(Locale.ROOT, "%s: %,d clients in and out in %,.0f ms%n", which, n, ms);
            }
        }
        long expected = (long) n * rounds.size();
        if (r.harness().stats().deliveries() != expected) {
            failures.add(
                    r.harness().stats().deliveries() + " message(s) delivered (expected: exactly " + expected + ")");
        }
        if (!after.isEmpty()) {
            compare(after.get(0), after.get(after.size() - 1), results);
        }
    }

    /** Last round against the first: heap (flagged beyond {@link #FLAT_HEAP}) and RSS, where measured. */
    private void compare(ServerMemory.Snapshot first, ServerMemory.Snapshot last, Map<String, Double> results) {
        if (first.rssBytes() > 0 && last.rssBytes() >= 0) {
            results.put("rssLastToFirstRound", ScenarioRun.round(last.rssBytes() / (double) first.rssBytes()));
        }
        if (first.heapBytes() <= 0 || last.heapBytes() < 0) {
            console.println("heap not measured (it needs --metrics-url): no last/first round comparison");
            return;
        }
        double ratio = last.heapBytes() / (double) first.heapBytes();
        boolean flat = Math.abs(ratio - 1) <= FLAT_HEAP;
        results.put("heapLastToFirstRound", ScenarioRun.round(ratio));
        results.put("heapWithin10Percent", flat ? 1.0 : 0.0);
        console.printf(
                Locale.ROOT,
                "HEAP after the last round is %.1f%% of after the first: %s%n",
                ratio * 100,
                flat ? "within 10%" : "NOT within 10% (flagged, not failed)");
    }
}
