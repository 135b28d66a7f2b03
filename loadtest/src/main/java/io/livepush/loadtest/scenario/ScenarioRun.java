package io.livepush.loadtest.scenario;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.dsl.Checkpoint;
import io.livepush.loadtest.dsl.Harness;
import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.dsl.Session;
import io.livepush.loadtest.dsl.Totals;
import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Nodes;
import io.livepush.loadtest.engine.Tokens;
import io.livepush.loadtest.engine.VirtualUser;
import io.livepush.loadtest.report.ConsoleTable;
import io.livepush.loadtest.report.ReportWriter;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.loadtest.stats.Sampler;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * The skeleton every scripted scenario runs in: one engine, the live sampler, the sessions it launched;
 * then {@link #finish} lets the members catch up, stops everything, adds up the continuity checks of
 * every session, and prints and writes the summary. The driver thread polls (it is not an event loop).
 */
public final class ScenarioRun implements AutoCloseable {
    static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 10;

    private final RunOptions options;
    private final PrintStream console;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final RunStats stats = new RunStats();
    private final LoadEngine engine;
    private final Harness harness;
    private final Sampler sampler;
    private final List<Session> sessions = new ArrayList<>();
    private final List<VirtualUser> users = new ArrayList<>();
    private boolean closed;

    /** @param tokenTtl how long the users' tokens must last: longer than the whole run */
    public ScenarioRun(RunOptions options, Duration tokenTtl, PrintStream console) {
        this.options = requireNonNull(options, "options");
        this.console = requireNonNull(console, "console");
        this.engine = new LoadEngine(options.nodes(), options.ioThreads(), options.tls(), true);
        this.harness = new Harness(engine, new Tokens(options.tokenSecret(), tokenTtl), stats);
        this.sampler = new Sampler(stats, console, options.sampleEvery(), options.consoleEvery());
    }

    public Harness harness() {
        return harness;
    }

    public String transport() {
        return engine.transport();
    }

    /** Starts the scenario's users (see {@link Scenario#launch}); they count in the summary. */
    public List<Session> launch(Scenario scenario) {
        List<Session> launched = scenario.launch(harness);
        sessions.addAll(launched);
        return launched;
    }

    /**
     * Connects a user that is not a scripted session (e.g. a range publisher) to the first node; a failed connect
     * counts as an error and fails its {@code ready()}. It is stopped with the run.
     */
    public <U extends VirtualUser> U connect(U user) {
        users.add(user);
        engine.connect(() -> user).addListener(f -> {
            if (!f.isSuccess()) {
                stats.error();
                user.ready().completeExceptionally(f.cause());
            }
        });
        return user;
    }

    /** Waits until {@code expected} users reached the checkpoint; false on timeout or once too many of {@code users} failed. */
    public boolean await(Checkpoint checkpoint, List<Session> users, int expected, Duration timeout)
            throws InterruptedException {
        FailedUsers failed = new FailedUsers(users);
        return poll(() -> checkpoint.arrived() >= expected || users.size() - failed.count() < expected, timeout)
                && checkpoint.arrived() >= expected;
    }

    /**
     * How many of {@code users} have failed, counted again only once another session of the run has failed: the
     * driver asks every {@value #POLL_MILLIS} ms, and going over 10,000 sessions each time took a fifth of the
     * harness's Java time in a reconnect storm.
     */
    private final class FailedUsers {
        private final List<Session> users;
        private int failedInRun = -1;
        private long count;

        FailedUsers(List<Session> users) {
            this.users = users;
        }

        long count() {
            int now = harness.failedSessions();
            if (now != failedInRun) {
                failedInRun = now;
                count = failed(users);
            }
            return count;
        }
    }

    /** Waits until every script of {@code users} ended; false on timeout. */
    public boolean awaitDone(List<Session> users, Duration timeout) throws InterruptedException {
        return poll(() -> users.stream().allMatch(s -> s.done().isDone()), timeout);
    }

    /** Waits until every future completed; false on timeout or once one of them failed. */
    public boolean awaitAll(List<? extends CompletableFuture<?>> futures, Duration timeout)
            throws InterruptedException {
        poll(
                () -> futures.stream().allMatch(CompletableFuture::isDone)
                        || futures.stream().anyMatch(CompletableFuture::isCompletedExceptionally),
                timeout);
        return futures.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    }

    private static boolean poll(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    private static long failed(List<Session> users) {
        return users.stream().filter(s -> s.done().isCompletedExceptionally()).count();
    }

    /**
     * Ends the run: up to {@link #DRAIN_GRACE} for connected members to get their room's last acknowledged
     * message, then stops the users and the engine and builds the summary (printed, and written when an
     * output directory was given). The run fails on {@code failures}, on any user whose script failed
     * or did not end, on any continuity anomaly, stray, message of the wrong epoch or unrecovered resume,
     * and on any error.
     */
    public Summary finish(String scenario, Summary.Config config, Map<String, Double> results, List<String> failures)
            throws IOException, InterruptedException {
        double activeSecs = (System.nanoTime() - startNanos) / 1e9;
        poll(() -> sessions.stream().allMatch(Session::caughtUp), DRAIN_GRACE);
        close();
        double elapsed = (System.nanoTime() - startNanos) / 1e9;

        List<String> all = new ArrayList<>(failures);
        Totals totals = Totals.NONE;
        int joined = 0;
        int[] members = new int[options.nodes().size()];
        int unfinished = 0;
        int failedUsers = 0;
        String firstCause = null;
        // The event loops are shut down: the sessions' state is safely published by the termination.
        for (Session s : sessions) {
            totals = totals.plus(s.finish(harness::lastAcked));
            if (s.joinedOnce()) {
                joined++;
                members[s.node()]++;
            }
            if (!s.done().isDone()) {
                unfinished++;
            } else if (s.done().isCompletedExceptionally()) {
                failedUsers++;
                firstCause = firstCause != null ? firstCause : cause(s);
            }
        }
        if (failedUsers > 0) {
            all.add(failedUsers + " user(s) failed (first: " + firstCause + ")");
        }
        if (unfinished > 0) {
            all.add(unfinished + " user(s) did not finish their script in time");
        }
        if (totals.anomalies() > 0) {
            all.add("seq continuity: " + totals.holes() + " hole(s), " + totals.duplicates() + " duplicate(s), "
                    + totals.outOfOrder() + " out of order");
        }
        if (harness.strays() > 0) {
            all.add(harness.strays() + " message(s) of a room the user was not in (e.g. after a switch answer)");
        }
        if (harness.wrongEpochs() > 0) {
            all.add(harness.wrongEpochs() + " message(s) of another epoch than their joined/subscribed answer's");
        }
        if (harness.notRecovered() > 0) {
            all.add(harness.notRecovered() + " resume(s) not recovered");
        }
        if (stats.errors() > 0) {
            all.add(stats.errors() + " error(s)");
        }
        Histogram h = sampler.total();
        long published = stats.publishedCount();
        Summary summary = new Summary(
                scenario,
                options.nodes().label(),
                nodes(options.nodes(), members),
                options.tls() == null ? "tcp" : "tcp+tls",
                startedAt.toString(),
                all.isEmpty(),
                List.copyOf(all),
                config,
                new Summary.Counts(
                        joined,
                        published,
                        stats.ackedCount(),
                        stats.deliveries(),
                        totals.expected(),
                        round(published / activeSecs),
                        round(stats.deliveries() / activeSecs),
                        stats.errors(),
                        round(elapsed)),
                new Summary.Latency(
                        h.getTotalCount(),
                        ms(h.getValueAtPercentile(50)),
                        ms(h.getValueAtPercentile(90)),
                        ms(h.getValueAtPercentile(99)),
                        ms(h.getValueAtPercentile(99.9)),
                        ms(h.getMaxValue()),
                        round(h.getMean() / 1000.0)),
                new Summary.Continuity(totals.holes(), totals.duplicates(), totals.outOfOrder()),
                results,
                sampler.samples());
        ConsoleTable.print(summary, console);
        if (options.out() != null) {
            ReportWriter.write(summary, options.out());
            console.println(
                    "report: " + options.out().resolve(ReportWriter.REPORT_HTML).toAbsolutePath());
        }
        return summary;
    }

    private static String cause(Session s) {
        try {
            s.done().join();
            return "none";
        } catch (CompletionException e) {
            return String.valueOf(e.getCause());
        }
    }

    /** Stops the users, the sampler and the engine; {@link #finish} does it, this is for a run cut short. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sessions.forEach(Session::stop);
        users.forEach(VirtualUser::stop);
        sampler.close();
        engine.close();
    }

    /** Each node's address with {@code members[i]}, the members on node {@code i}. */
    static List<Summary.Node> nodes(Nodes nodes, int[] members) {
        List<Summary.Node> list = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            list.add(new Summary.Node(Nodes.label(nodes.addresses().get(i)), members[i]));
        }
        return list;
    }

    /** The time left until {@code deadline} ({@link System#nanoTime()}), zero once it passed. */
    static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    static double ms(long micros) {
        return round(micros / 1000.0);
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
