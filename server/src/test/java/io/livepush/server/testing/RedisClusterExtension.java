package io.livepush.server.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis Cluster of three primaries (and no replica, or one: {@link #withOneReplica}) for a test class: three {@code redis-server
 * --cluster-enabled yes} processes on free loopback ports (no persistence, each in a fresh directory, see
 * {@link RedisServerExtension}), joined by {@code redis-cli --cluster create}. Ready means every node reports
 * {@code cluster_state:ok} within {@link #READY_DEADLINE}. Each process stops by its PID after the class.
 * Skips the class when redis-server or redis-cli is not installed.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {
    public static final Path REDIS_CLI = Path.of("/usr/bin/redis-cli");
    private static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CLI_DEADLINE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(100);

    private final List<RedisServerExtension> nodes = List.of(
            RedisServerExtension.clusterNode(), RedisServerExtension.clusterNode(), RedisServerExtension.clusterNode());
    /** A replica of the first primary, or null. */
    private final RedisServerExtension replica;

    /** Three primaries, no replica. */
    public RedisClusterExtension() {
        this(false);
    }

    private RedisClusterExtension(boolean replica) {
        this.replica = replica ? RedisServerExtension.clusterNode() : null;
    }

    /** Three primaries, and a replica of the first ({@link #replicatedPrimary}) only. */
    public static RedisClusterExtension withOneReplica() {
        return new RedisClusterExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(REDIS_CLI), REDIS_CLI + " is not installed");
        try {
            for (RedisServerExtension node : nodes) {
                node.start();
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            cli(create);
            awaitClusterOk();
            if (replica != null) {
                addReplica();
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** The seeds, comma-separated: {@code redis://127.0.0.1:<port>,…} (what {@code --redis-url} takes). */
    public String uri() {
        return nodes.stream().map(RedisServerExtension::uri).collect(Collectors.joining(","));
    }

    /** The port of the primary that serves {@code slot} now. */
    public int ownerOf(int slot) throws IOException, InterruptedException {
        // CLUSTER NODES: "<id> <ip>:<port>@<bus port> <flags> <primary> <ping> <pong> <epoch> <link> <slot ranges…>"
        for (String line : cli(List.of("-p", Integer.toString(nodes.get(0).port()), "cluster", "nodes"))
                .split("\n")) {
            String[] fields = line.strip().split(" ");
            for (int i = 8; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                if (range[0].startsWith("[")) {
                    continue; // a slot being migrated or imported
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (from <= slot && slot <= to) {
                    return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("no node serves slot " + slot);
    }

    /** The port of the primary that has a replica ({@link #withOneReplica}). */
    public int replicatedPrimary() {
        return nodes.get(0).port();
    }

    /** The ports of the three primaries. */
    public List<Integer> ports() {
        return nodes.stream().map(RedisServerExtension::port).toList();
    }

    /**
     * Moves {@code slot} with its keys to the primary on {@code toPort}, as {@code redis-cli --cluster reshard}
     * does for each slot: importing, migrating, {@code MIGRATE} of its keys, then the new owner on every node.
     */
    public void moveSlot(int slot, int toPort) throws IOException, InterruptedException {
        int fromPort = ownerOf(slot);
        String from = cli(List.of("-p", Integer.toString(fromPort), "cluster", "myid"))
                .strip();
        String to =
                cli(List.of("-p", Integer.toString(toPort), "cluster", "myid")).strip();
        String s = Integer.toString(slot);
        cli(List.of("-p", Integer.toString(toPort), "cluster", "setslot", s, "importing", from));
        cli(List.of("-p", Integer.toString(fromPort), "cluster", "setslot", s, "migrating", to));
        String keys = cli(List.of("-p", Integer.toString(fromPort), "cluster", "getkeysinslot", s, "100000"))
                .strip();
        if (!keys.isEmpty()) {
            List<String> migrate = new ArrayList<>(List.of(
                    "-p",
                    Integer.toString(fromPort),
                    "migrate",
                    "127.0.0.1",
                    Integer.toString(toPort),
                    "",
                    "0",
                    "5000",
                    "KEYS"));
            migrate.addAll(List.of(keys.split("\n")));
            cli(migrate);
        }
        // The new owner first, then the old one (which then ends its sharded subscriptions of the slot).
        cli(List.of("-p", Integer.toString(toPort), "cluster", "setslot", s, "node", to));
        cli(List.of("-p", Integer.toString(fromPort), "cluster", "setslot", s, "node", to));
        for (int port : ports()) {
            if (port != toPort && port != fromPort) {
                cli(List.of("-p", Integer.toString(port), "cluster", "setslot", s, "node", to));
            }
        }
    }

    /** Runs redis-cli with {@code args}; its output, or an exception naming them when it fails or hangs. */
    public String cli(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(REDIS_CLI.toString()));
        command.addAll(args);
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        // The output is small: read after the exit, within the deadline.
        if (!cli.waitFor(CLI_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            cli.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within " + CLI_DEADLINE);
        }
        String output = new String(cli.getInputStream().readAllBytes(), UTF_8);
        if (cli.exitValue() != 0 || output.startsWith("ERR") || output.contains("[ERR]")) {
            throw new IllegalStateException(command + " failed: " + output);
        }
        return output;
    }

    private void addReplica() throws IOException, InterruptedException, ExecutionException {
        replica.start();
        String primaryId = cli(List.of("-p", Integer.toString(replicatedPrimary()), "cluster", "myid"))
                .strip();
        cli(List.of(
                "--cluster",
                "add-node",
                "127.0.0.1:" + replica.port(),
                "127.0.0.1:" + replicatedPrimary(),
                "--cluster-slave",
                "--cluster-master-id",
                primaryId));
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        String info;
        while (!(info = cli(List.of("-p", Integer.toString(replica.port()), "info", "replication")))
                .contains("master_link_status:up")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replica not in sync within " + READY_DEADLINE + ": " + info);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private void awaitClusterOk() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        for (RedisServerExtension node : nodes) {
            String info;
            while (!(info = cli(List.of("-p", Integer.toString(node.port()), "cluster", "info")))
                    .contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Redis Cluster not ok within " + READY_DEADLINE + " on " + node.port() + ": " + info);
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    private void close() throws IOException, InterruptedException {
        for (RedisServerExtension node : nodes) {
            node.close();
        }
        if (replica != null) {
            replica.close();
        }
    }
}
