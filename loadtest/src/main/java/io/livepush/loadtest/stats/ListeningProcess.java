package io.livepush.loadtest.stats;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which process listens on a TCP port of this machine: the inode of the listening socket from
 * {@code /proc/net/tcp} and {@code tcp6}, then the process with a file descriptor open on {@code socket:[inode]}.
 * Only processes whose descriptors this user may read are found (those of the same user, or all as root).
 */
public final class ListeningProcess {
    private static final String LISTEN = "0A";

    private ListeningProcess() {}

    /**
     * The processes listening on {@code ports}, each once, in order, leaving out this one: a server running
     * inside the harness (as in tests) cannot have its CPU time told apart from the harness's.
     */
    public static List<Long> serversOn(List<Integer> ports) throws IOException {
        long self = ProcessHandle.current().pid();
        Set<Long> pids = new LinkedHashSet<>();
        for (int port : ports) {
            of(port).ifPresent(pid -> {
                if (pid != self) {
                    pids.add(pid);
                }
            });
        }
        return List.copyOf(pids);
    }

    /** The pid of the process listening on {@code port} (any address), if there is one this user may see. */
    public static OptionalLong of(int port) throws IOException {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (Files.isReadable(path)) {
                String inode = listeningInode(Files.readAllLines(path), port);
                if (inode != null) {
                    return owner("socket:[" + inode + "]");
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The inode of the listening socket on {@code port} in the lines of a {@code /proc/net/tcp} table, or null:
     * {@code sl local_address(hex ip:hex port) rem_address st … uid timeout inode …}, state {@code 0A} = LISTEN.
     */
    static String listeningInode(List<String> lines, int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals(LISTEN)) {
                return f[9];
            }
        }
        return null;
    }

    private static OptionalLong owner(String socket) throws IOException {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (holds(proc.resolve("fd"), socket)) {
                    return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean holds(Path fds, String socket) {
        try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
            for (Path fd : links) {
                if (socket.equals(readLink(fd))) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or one that just exited
        }
        return false;
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return null; // closed meanwhile
        }
    }
}
