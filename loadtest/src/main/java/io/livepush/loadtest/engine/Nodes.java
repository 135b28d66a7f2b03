package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The nodes a run loads, in the order given: one server, or the nodes of a cluster that share one Redis
 * (PROTOCOL.md, "Cluster"). Users are dealt round-robin: user {@code i} connects to {@link #get(int)
 * get(i)}, node {@code i mod size()}; a run's single publisher goes to the first node. Loopback only.
 */
public final class Nodes {
    private final List<InetSocketAddress> addresses;

    private Nodes(List<InetSocketAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("nodes: [] (expected: at least one)");
        }
        for (InetSocketAddress a : addresses) {
            requireNonNull(a, "address");
            if (a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("node: " + a + " (expected: a loopback address)");
            }
        }
        this.addresses = List.copyOf(addresses);
    }

    /** One node. */
    public static Nodes of(InetSocketAddress address) {
        return new Nodes(List.of(requireNonNull(address, "address")));
    }

    public static Nodes of(List<InetSocketAddress> addresses) {
        return new Nodes(requireNonNull(addresses, "addresses"));
    }

    /**
     * The nodes named by a host option and a port option, each a list: equal lengths pair up by index, one
     * host with N ports is N nodes on that host, N hosts with one port likewise. Anything else, an empty
     * list or a port out of range throws {@link IllegalArgumentException} naming the option; a host that
     * is not loopback, {@link Loopback#resolve}'s.
     *
     * @param hostOption the host option's name for messages, e.g. {@code --host}
     * @param portOption the port option's name for messages, e.g. {@code --port} or {@code --ws-port}
     */
    public static Nodes parse(String hostOption, List<String> hosts, String portOption, List<Integer> ports) {
        requireNonNull(hostOption, "hostOption");
        requireNonNull(portOption, "portOption");
        if (hosts == null || hosts.isEmpty()) {
            throw new IllegalArgumentException(hostOption + ": none (expected: a host, or a comma-separated list)");
        }
        if (ports == null || ports.isEmpty()) {
            throw new IllegalArgumentException(portOption + ": none (expected: a port, or a comma-separated list)");
        }
        int n = Math.max(hosts.size(), ports.size());
        if (hosts.size() != ports.size() && hosts.size() != 1 && ports.size() != 1) {
            throw new IllegalArgumentException(hostOption + " " + String.join(",", hosts) + " and " + portOption + " "
                    + ports.stream().map(String::valueOf).collect(Collectors.joining(","))
                    + ": " + hosts.size() + " hosts and " + ports.size()
                    + " ports (expected: one host, one port, or as many hosts as ports)");
        }
        List<InetSocketAddress> nodes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String host = hosts.get(hosts.size() == 1 ? 0 : i);
            Integer port = ports.get(ports.size() == 1 ? 0 : i);
            if (port == null || port < 1 || port > 65_535) {
                throw new IllegalArgumentException(portOption + ": " + port + " (expected: 1-65535)");
            }
            nodes.add(new InetSocketAddress(Loopback.resolve(host), port));
        }
        return new Nodes(nodes);
    }

    public int size() {
        return addresses.size();
    }

    /** The node of user {@code i}: {@code i mod size()} (never negative). */
    public InetSocketAddress get(int i) {
        return addresses.get(Math.floorMod(i, addresses.size()));
    }

    /** The first node: where a run's single publisher connects. */
    public InetSocketAddress first() {
        return addresses.get(0);
    }

    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** {@code 127.0.0.1:7070}, or {@code 127.0.0.1:7070,127.0.0.1:7071} for several: as reports name the target. */
    public String label() {
        return addresses.stream().map(Nodes::label).collect(Collectors.joining(","));
    }

    /** {@code host-address:port} of one node. */
    public static String label(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** For the console: one node as its address, several as {@code 3 nodes [a, b, c]}. */
    @Override
    public String toString() {
        return addresses.size() == 1 ? addresses.get(0).toString() : addresses.size() + " nodes " + addresses;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nodes other && addresses.equals(other.addresses);
    }

    @Override
    public int hashCode() {
        return addresses.hashCode();
    }
}
