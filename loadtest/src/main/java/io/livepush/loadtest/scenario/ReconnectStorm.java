package io.livepush.loadtest.scenario;

import static io.livepush.loadtest.dsl.Actions.arrive;
import static io.livepush.loadtest.dsl.Actions.await;
import static io.livepush.loadtest.dsl.Actions.awaitSeq;
import static io.livepush.loadtest.dsl.Actions.call;
import static io.livepush.loadtest.dsl.Actions.connect;
import static io.livepush.loadtest.dsl.Actions.disconnect;
import static io.livepush.loadtest.dsl.Actions.join;
import static io.livepush.loadtest.dsl.Actions.nextNode;
import static io.livepush.loadtest.dsl.Actions.publish;
import static io.livepush.loadtest.dsl.Actions.repeat;
import static io.livepush.loadtest.dsl.Actions.resume;
import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static io.livepush.loadtest.scenario.ScenarioRun.left;
import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Checkpoint;
import io.livepush.loadtest.dsl.Feeders;
import io.livepush.loadtest.dsl.Gate;
import io.livepush.loadtest.dsl.Harness;
import io.livepush.loadtest.dsl.Phases;
import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.dsl.Session;
import io.livepush.loadtest.engine.FileLimits;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.report.Summary;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The reconnect storm: N clients join one room; all drop at once (client-side close); a publisher
 * publishes M messages while they are away; then all reconnect at once and join with resume
 * {@code since} = the position of their last message. Each phase waits for the one before, driven by
 * gates that the users' scripts wait on. Against a cluster, client {@code i} first connects to node
 * {@code i mod N} and every storm brings it back on the next node: it resumes on another node than the
 * one it left (PROTOCOL.md, "Cluster" 2); the publisher stays on the first.
 *
 * <p>The storm recovery time runs from the reconnect gate's opening until the last client has every
 * seq up to the publisher's last one; also reported: the reconnect latency (gate → resumed
 * {@code joined}) and catch-up time (gate → last missed message) distributions. Any hole, duplicate
 * or unrecovered resume fails the run. With several {@code storms} the same clients go through them
 * one after the other (a first storm warms up both sides); each storm's recovery time is reported.
 */
public final class ReconnectStorm {
    /**
     * @param clients  how many clients storm back
     * @param missed   messages published while they are away
     * @param ramp     spread the first connects over this time (the storm itself is always at once)
     * @param duration the longest the whole run may take; it stops by itself after it
     * @param storms   how many storms the clients go through, one after the other
     */
    public record Options(
            int clients, int missed, Duration ramp, Duration duration, int payloadBytes, String room, int storms) {
        public Options {
            requireNonNull(ramp, "ramp");
            requireNonNull(room, "room");
            Args.require(clients > 0, "clients", clients, "> 0");
            Args.require(missed > 0, "missed", missed, "> 0");
            Args.require(!ramp.isNegative(), "ramp", ramp, ">= 0");
            Args.positive("duration", duration);
            Args.require(payloadBytes >= Payloads.MIN_BYTES, "payloadBytes", payloadBytes, ">= " + Payloads.MIN_BYTES);
            Args.require(storms > 0, "storms", storms, "> 0");
        }

        /** One storm. */
        public Options(int clients, int missed, Duration ramp, Duration duration, int payloadBytes, String room) {
            this(clients, missed, ramp, duration, payloadBytes, room, 1);
        }
    }

    /** The gates, checkpoints and timings of one storm. */
    private static final class Storm {
        final Gate drop = new Gate();
        final Gate publish = new Gate();
        final Gate reconnect = new Gate();
        final Checkpoint dropped = new Checkpoint();
        final Checkpoint published = new Checkpoint();
        final Checkpoint recovered = new Checkpoint();
        final LongAccumulator lastCaughtUp = new LongAccumulator(Math::max, Long.MIN_VALUE);

        long sinceReconnectMicros() {
            return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - reconnect.openedAtNanos());
        }
    }

    private final Options options;
    private final RunOptions run;
    private final PrintStream console;
    private final List<Storm> storms = new ArrayList<>();
    private final Checkpoint joined = new Checkpoint();
    private final Checkpoint publisherReady = new Checkpoint();
    private final Recorder reconnectMicros = new Recorder(3);
    private final Recorder catchUpMicros = new Recorder(3);

    public ReconnectStorm(Options options, RunOptions run, PrintStream console) {
        this.options = requireNonNull(options, "options");
        this.run = requireNonNull(run, "run");
        this.console = requireNonNull(console, "console");
        FileLimits.check(options.clients() + 1);
        for (int i = 0; i < options.storms(); i++) {
            storms.add(new Storm());
        }
    }

    Scenario clients(Harness harness) {
        String room = options.room();
        Phases<Storm> storm = new Phases<>(storms, options.clients());
        return scenario("reconnect-storm")
                .inject(rampUsers(options.clients()).during(options.ramp()))
                .feed(Feeders.sequence("user", "lt-storm-%d"))
                .exec(
                        connect(),
                        join(room),
                        arrive(joined),
                        repeat(
                                options.storms(),
                                storm.in(st -> await(st.drop)),
                                disconnect(),
                                nextNode(), // on a cluster, the client comes back on another node
                                storm.in(st -> arrive(st.dropped)),
                                storm.in(st -> await(st.reconnect)),
                                connect(),
                                resume(room),
                                storm.in(st -> call(s -> reconnectMicros.recordValue(st.sinceReconnectMicros()))),
                                awaitSeq(room, () -> harness.lastAcked(room)),
                                storm.in(st -> call(s -> {
                                    catchUpMicros.recordValue(st.sinceReconnectMicros());
                                    st.lastCaughtUp.accumulate(System.nanoTime());
                                })),
                                storm.in(st -> arrive(st.recovered)),
                                storm.advance()));
    }

    Scenario publisher() {
        Phases<Storm> storm = new Phases<>(storms, 1);
        return scenario("storm-publisher")
                .inject(atOnceUsers(1))
                .exec(
                        connect(),
                        arrive(publisherReady),
                        repeat(
                                options.storms(),
                                storm.in(st -> await(st.publish)),
                                repeat(options.missed(), publish(options.room(), options.payloadBytes())),
                                storm.in(st -> arrive(st.published)),
                                storm.advance()));
    }

    public Summary run() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.duration().toNanos();
        List<String> failures = new ArrayList<>();
        Map<String, Double> results = new LinkedHashMap<>();
        try (ScenarioRun r = new ScenarioRun(run, options.duration().plus(Duration.ofMinutes(10)), console)) {
            console.printf(
                    Locale.ROOT,
                    "reconnect-storm: %,d clients in %s, %,d missed each -> %s, %s%n",
                    options.clients(),
                    options.room(),
                    options.missed(),
                    run.nodes(),
                    r.transport());
            List<Session> clients = r.launch(clients(r.harness()));
            List<Session> publishers = r.launch(publisher());
            int n = options.clients();
            if (!r.await(joined, clients, n, left(deadline))
                    || !r.await(publisherReady, publishers, 1, left(deadline))) {
                failures.add(joined.arrived() + " of " + n + " clients joined, publisher "
                        + (publisherReady.arrived() == 1 ? "ready" : "not ready"));
            } else {
                storms(r, clients, publishers, deadline, failures, results);
            }
            return r.finish(
                    "reconnect-storm",
                    new Summary.Config(n, 0, options.duration().toMillis(), options.payloadBytes(), options.room()),
                    results,
                    failures);
        }
    }

    private static boolean phase(
            ScenarioRun r, Gate gate, Checkpoint done, List<Session> users, int expected, long deadline)
            throws InterruptedException {
        gate.open();
        return r.await(done, users, expected, left(deadline));
    }

    /** Runs the storms one after the other; stops at the first that does not go through. */
    private void storms(
            ScenarioRun r,
            List<Session> clients,
            List<Session> publishers,
            long deadline,
            List<String> failures,
            Map<String, Double> results)
            throws InterruptedException {
        int n = clients.size();
        results.put("clients", (double) n);
        results.put("missedPerClient", (double) options.missed());
        double slowestMs = 0;
        int recovered = 0;
        for (int i = 0; i < storms.size(); i++) {
            Storm st = storms.get(i);
            String which =
                    storms.size() == 1 ? "" : String.format(Locale.ROOT, " (storm %d of %d)", i + 1, storms.size());
            if (!phase(r, st.drop, st.dropped, clients, n, deadline)
                    || !phase(r, st.publish, st.published, publishers, 1, deadline)) {
                failures.add("storm set-up" + which + ": " + st.dropped.arrived() + " of " + n + " dropped, "
                        + st.published.arrived() + " publisher(s) done");
                break;
            }
            console.printf(
                    Locale.ROOT,
                    "all %,d clients away, %,d missed (last seq %,d): reconnecting all at once%s%n",
                    n,
                    options.missed(),
                    r.harness().lastAcked(options.room()),
                    which);
            long start = st.reconnect.open();
            recovered = r.await(st.recovered, clients, n, left(deadline)) ? n : st.recovered.arrived();
            if (recovered < n) {
                failures.add(recovered + " of " + n + " clients recovered" + which + " within the run's "
                        + options.duration());
                break;
            }
            double recoveryMs = ScenarioRun.round((st.lastCaughtUp.get() - start) / 1e6);
            slowestMs = Math.max(slowestMs, recoveryMs);
            if (storms.size() > 1) {
                results.put("storm" + (i + 1) + "RecoveryMs", recoveryMs);
            }
            console.printf(
                    Locale.ROOT,
                    "STORM RECOVERY: %,.1f ms for %,d clients x %,d missed messages%s%n",
                    recoveryMs,
                    n,
                    options.missed(),
                    which);
        }
        results.put("clientsRecovered", (double) recovered);
        if (failures.isEmpty()) {
            results.put("stormRecoveryMs", slowestMs); // the slowest storm
        }
        Histogram reconnects = reconnectMicros.getIntervalHistogram();
        Histogram catchUps = catchUpMicros.getIntervalHistogram();
        results.put("reconnectP50Ms", ScenarioRun.ms(reconnects.getValueAtPercentile(50)));
        results.put("reconnectP99Ms", ScenarioRun.ms(reconnects.getValueAtPercentile(99)));
        results.put("reconnectMaxMs", ScenarioRun.ms(reconnects.getMaxValue()));
        results.put("catchUpP50Ms", ScenarioRun.ms(catchUps.getValueAtPercentile(50)));
        results.put("catchUpP99Ms", ScenarioRun.ms(catchUps.getValueAtPercentile(99)));
    }
}
