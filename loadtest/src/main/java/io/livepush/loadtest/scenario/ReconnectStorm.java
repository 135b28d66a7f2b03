package io.livepush.loadtest.scenario;

import static io.livepush.loadtest.dsl.Actions.arrive;
import static io.livepush.loadtest.dsl.Actions.await;
import static io.livepush.loadtest.dsl.Actions.awaitSeq;
import static io.livepush.loadtest.dsl.Actions.call;
import static io.livepush.loadtest.dsl.Actions.connect;
import static io.livepush.loadtest.dsl.Actions.disconnect;
import static io.livepush.loadtest.dsl.Actions.join;
import static io.livepush.loadtest.dsl.Actions.publish;
import static io.livepush.loadtest.dsl.Actions.repeat;
import static io.livepush.loadtest.dsl.Actions.resume;
import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Checkpoint;
import io.livepush.loadtest.dsl.Feeders;
import io.livepush.loadtest.dsl.Gate;
import io.livepush.loadtest.dsl.Harness;
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
 * gates that the users' scripts wait on.
 *
 * <p>The storm recovery time runs from the reconnect gate's opening until the last client has every
 * seq up to the publisher's last one; also reported: the reconnect latency (gate → resumed
 * {@code joined}) and catch-up time (gate → last missed message) distributions. Any hole, duplicate
 * or unrecovered resume fails the run.
 */
public final class ReconnectStorm {
    /**
     * @param clients  how many clients storm back
     * @param missed   messages published while they are away
     * @param ramp     spread the first connects over this time (the storm itself is always at once)
     * @param duration the longest the whole run may take; it stops by itself after it
     */
    public record Options(int clients, int missed, Duration ramp, Duration duration, int payloadBytes, String room) {
        public Options {
            requireNonNull(ramp, "ramp");
            requireNonNull(room, "room");
            Args.require(clients > 0, "clients", clients, "> 0");
            Args.require(missed > 0, "missed", missed, "> 0");
            Args.require(!ramp.isNegative(), "ramp", ramp, ">= 0");
            Args.positive("duration", duration);
            Args.require(payloadBytes >= Payloads.MIN_BYTES, "payloadBytes", payloadBytes, ">= " + Payloads.MIN_BYTES);
        }
    }

    private final Options options;
    private final RunOptions run;
    private final PrintStream console;
    private final Gate drop = new Gate();
    private final Gate publish = new Gate();
    private final Gate reconnect = new Gate();
    private final Checkpoint joined = new Checkpoint();
    private final Checkpoint dropped = new Checkpoint();
    private final Checkpoint publisherReady = new Checkpoint();
    private final Checkpoint published = new Checkpoint();
    private final Recorder reconnectMicros = new Recorder(3);
    private final Recorder catchUpMicros = new Recorder(3);
    private final LongAccumulator lastCaughtUp = new LongAccumulator(Math::max, Long.MIN_VALUE);

    public ReconnectStorm(Options options, RunOptions run, PrintStream console) {
        this.options = requireNonNull(options, "options");
        this.run = requireNonNull(run, "run");
        this.console = requireNonNull(console, "console");
        FileLimits.check(options.clients() + 1);
    }

    private long sinceReconnectMicros() {
        return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - reconnect.openedAtNanos());
    }

    Scenario clients(Harness harness) {
        String room = options.room();
        return scenario("reconnect-storm")
                .inject(rampUsers(options.clients()).during(options.ramp()))
                .feed(Feeders.sequence("user", "lt-storm-%d"))
                .exec(connect(), join(room), arrive(joined),
                        await(drop), disconnect(), arrive(dropped),
                        await(reconnect), connect(), resume(room), call(s -> reconnectMicros.recordValue(sinceReconnectMicros())),
                        awaitSeq(room, () -> harness.lastAcked(room)),
                        call(s -> {
                            catchUpMicros.recordValue(sinceReconnectMicros());
                            lastCaughtUp.accumulate(System.nanoTime());
                        }));
    }

    Scenario publisher() {
        return scenario("storm-publisher")
                .inject(atOnceUsers(1))
                .exec(connect(), arrive(publisherReady), await(publish),
                        repeat(options.missed(), publish(options.room(), options.payloadBytes())), arrive(published));
    }

    public Summary run() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.duration().toNanos();
        List<String> failures = new ArrayList<>();
        Map<String, Double> results = new LinkedHashMap<>();
        try (ScenarioRun r = new ScenarioRun(run, options.duration().plus(Duration.ofMinutes(10)), console)) {
            console.printf("reconnect-storm: %,d clients in %s, %,d missed each -> %s, %s%n", options.clients(),
                    options.room(), options.missed(), run.target(), r.transport());
            List<Session> clients = r.launch(clients(r.harness()));
            List<Session> publishers = r.launch(publisher());
            int n = options.clients();
            if (!r.await(joined, clients, n, left(deadline)) || !r.await(publisherReady, publishers, 1, left(deadline))) {
                failures.add(joined.arrived() + " of " + n + " clients joined, publisher "
                        + (publisherReady.arrived() == 1 ? "ready" : "not ready"));
            } else if (!phase(r, drop, dropped, clients, n, deadline) || !phase(r, publish, published, publishers, 1, deadline)) {
                failures.add("storm set-up: " + dropped.arrived() + " of " + n + " dropped, "
                        + published.arrived() + " publisher(s) done");
            } else {
                storm(r, clients, deadline, failures, results);
            }
            return r.finish("reconnect-storm", new Summary.Config(n, 0, options.duration().toMillis(),
                    options.payloadBytes(), options.room()), results, failures);
        }
    }

    private static boolean phase(ScenarioRun r, Gate gate, Checkpoint done, List<Session> users, int expected,
            long deadline) throws InterruptedException {
        gate.open();
        return r.await(done, users, expected, left(deadline));
    }

    private void storm(ScenarioRun r, List<Session> clients, long deadline, List<String> failures,
            Map<String, Double> results) throws InterruptedException {
        long lastSeq = r.harness().lastAcked(options.room());
        console.printf(Locale.ROOT, "all %,d clients away, %,d missed (last seq %,d): reconnecting all at once%n",
                clients.size(), options.missed(), lastSeq);
        long start = reconnect.open();
        boolean all = r.awaitDone(clients, left(deadline));
        Histogram reconnects = reconnectMicros.getIntervalHistogram();
        Histogram catchUps = catchUpMicros.getIntervalHistogram();
        results.put("clients", (double) clients.size());
        results.put("missedPerClient", (double) options.missed());
        results.put("clientsRecovered", (double) catchUps.getTotalCount());
        if (all && catchUps.getTotalCount() == clients.size()) {
            double recoveryMs = ScenarioRun.round((lastCaughtUp.get() - start) / 1e6);
            results.put("stormRecoveryMs", recoveryMs);
            console.printf(Locale.ROOT, "STORM RECOVERY: %,.1f ms for %,d clients x %,d missed messages%n", recoveryMs,
                    clients.size(), options.missed());
        } else {
            failures.add(catchUps.getTotalCount() + " of " + clients.size() + " clients recovered within the run's "
                    + options.duration());
        }
        results.put("reconnectP50Ms", ScenarioRun.ms(reconnects.getValueAtPercentile(50)));
        results.put("reconnectP99Ms", ScenarioRun.ms(reconnects.getValueAtPercentile(99)));
        results.put("reconnectMaxMs", ScenarioRun.ms(reconnects.getMaxValue()));
        results.put("catchUpP50Ms", ScenarioRun.ms(catchUps.getValueAtPercentile(50)));
        results.put("catchUpP99Ms", ScenarioRun.ms(catchUps.getValueAtPercentile(99)));
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
