package io.livepush.loadtest.scenario;

import static io.livepush.loadtest.dsl.Actions.arrive;
import static io.livepush.loadtest.dsl.Actions.connect;
import static io.livepush.loadtest.dsl.Actions.join;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Action;
import io.livepush.loadtest.dsl.Checkpoint;
import io.livepush.loadtest.dsl.Feeders;
import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.dsl.Session;
import io.livepush.loadtest.engine.FileLimits;
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

/**
 * Holds N idle connections (connected, authenticated, optionally in a room, pinging as the server asks)
 * for the duration, and reports the server's memory per connection: (after − before) / N for heap,
 * direct buffers, Netty's allocator and RSS, each measured after a full GC of the server. Against a
 * cluster, the connections are dealt round-robin over its nodes and the figures are the sum over them,
 * then each node's over the connections it holds ({@code …PerConnectionNode<k>}).
 */
public final class Idle {
    static final Duration CONNECT_GRACE = Duration.ofSeconds(60);

    /**
     * @param connections how many connections to hold
     * @param ramp        spread the connects over this time
     * @param duration    how long to hold them once all are up; the run stops by itself after it
     * @param room        a room every connection joins, or null for none
     */
    public record Options(int connections, Duration ramp, Duration duration, String room) {
        public Options {
            requireNonNull(ramp, "ramp");
            Args.require(connections > 0, "connections", connections, "> 0");
            Args.require(!ramp.isNegative(), "ramp", ramp, ">= 0");
            Args.positive("duration", duration);
        }
    }

    private final Options options;
    private final RunOptions run;
    private final ServerMemory memory;
    private final PrintStream console;
    private final Checkpoint up = new Checkpoint();

    public Idle(Options options, RunOptions run, ServerMemory memory, PrintStream console) {
        this.options = requireNonNull(options, "options");
        this.run = requireNonNull(run, "run");
        this.memory = requireNonNull(memory, "memory");
        this.console = requireNonNull(console, "console");
        FileLimits.check(options.connections());
    }

    Scenario holders() {
        List<Action> script = new ArrayList<>(List.of(connect()));
        if (options.room() != null) {
            script.add(join(options.room()));
        }
        script.add(arrive(up));
        return scenario("idle")
                .inject(rampUsers(options.connections()).during(options.ramp()))
                .feed(Feeders.sequence("user", "lt-idle-%d"))
                .exec(script.toArray(Action[]::new));
    }

    public Summary run() throws IOException, InterruptedException {
        int n = options.connections();
        Map<String, Double> results = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Duration length = options.ramp().plus(CONNECT_GRACE).plus(options.duration());
        try (ScenarioRun r = new ScenarioRun(run, length.plus(Duration.ofMinutes(10)), console)) {
            console.printf(
                    Locale.ROOT,
                    "idle: %,d connections%s -> %s, %s%s%n",
                    n,
                    options.room() == null ? "" : " in " + options.room(),
                    run.nodes(),
                    r.transport(),
                    memory.measures() ? "" : " (no --server-pid / --metrics-url: server memory not measured)");
            ServerMemory.Snapshot before = memory.measures() ? memory.measure() : null;
            List<Session> users = r.launch(holders());
            if (r.await(up, users, n, options.ramp().plus(CONNECT_GRACE))) {
                console.printf(Locale.ROOT, "all %,d connections up; holding for %s%n", n, options.duration());
                Thread.sleep(options.duration().toMillis());
                int active = r.harness().stats().activeConnections();
                if (active < n) {
                    failures.add((n - active) + " connection(s) lost while idle");
                }
                results.put("connectionsHeld", (double) active);
                if (before != null) {
                    perConnection(before, memory.measure(), users, results);
                }
            } else {
                failures.add(up.arrived() + " of " + n + " connections came up");
            }
            return r.finish(
                    "idle",
                    new Summary.Config(
                            options.room() == null ? 0 : n,
                            0,
                            options.duration().toMillis(),
                            0,
                            options.room() == null ? "" : options.room()),
                    results,
                    failures);
        }
    }

    private void perConnection(
            ServerMemory.Snapshot before,
            ServerMemory.Snapshot after,
            List<Session> users,
            Map<String, Double> results) {
        MemoryResults.perUnit(results, before, after, users.size(), "PerConnection");
        // A cluster: each node's figures over the connections it holds (users are dealt round-robin).
        for (int k = 0; k < after.nodes().size() && k < before.nodes().size(); k++) {
            int node = k;
            int held = (int) users.stream().filter(u -> u.node() == node).count();
            if (held > 0) {
                MemoryResults.perUnit(
                        results, before.nodes().get(k), after.nodes().get(k), held, "PerConnectionNode" + (k + 1));
            }
        }
        console.printf(
                Locale.ROOT,
                "server memory per idle connection: heap %s, direct %s, netty direct %s, RSS %s bytes%n",
                results.getOrDefault("serverHeapBytesPerConnection", Double.NaN),
                results.getOrDefault("serverDirectBytesPerConnection", Double.NaN),
                results.getOrDefault("serverNettyDirectBytesPerConnection", Double.NaN),
                results.getOrDefault("serverRssBytesPerConnection", Double.NaN));
    }
}
