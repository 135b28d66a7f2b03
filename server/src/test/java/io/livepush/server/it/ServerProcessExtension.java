package io.livepush.server.it;

import io.livepush.server.auth.Capability;
import io.livepush.server.auth.KeyRing;
import io.livepush.server.auth.Operation;
import io.livepush.server.auth.TokenIssuer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server in a process of its own for a test class (the built jar, free loopback ports, a fresh data directory),
 * with {@link PushServerExtension}'s secret and API key. Register it as a static field with
 * {@code @RegisterExtension}; it is stopped by its PID after the class.
 */
final class ServerProcessExtension implements ClusterNode, BeforeAllCallback, AfterAllCallback {
    private static final TokenIssuer TOKENS =
            new TokenIssuer(KeyRing.of(PushServerExtension.SECRET, Map.of()), Clock.systemUTC());

    private final Supplier<List<String>> args;
    private Path dataDir;
    private ServerProcess process;

    /** {@code args} (read at start, once what they name runs) follow the ports, data directory and secrets. */
    ServerProcessExtension(Supplier<List<String>> args) {
        this.args = args;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("push-process-it");
        List<String> more = new java.util.ArrayList<>(
                List.of("--token-secret", PushServerExtension.SECRET, "--api-key", PushServerExtension.API_KEY));
        more.addAll(args.get());
        process = ServerProcess.start(
                ServerProcess.onFreePortsWithSmallStores(dataDir.toString(), more.toArray(String[]::new)));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (process != null) {
            process.close();
        }
        PushServerExtension.deleteRecursively(dataDir);
    }

    @Override
    public InetSocketAddress tcpAddress() {
        return process.tcpAddress();
    }

    @Override
    public String adminUrl() {
        return process.adminUrl();
    }

    @Override
    public String tokenFor(String user) {
        return TOKENS.issue(
                user, Duration.ofHours(1), List.of(new Capability(List.of("*"), EnumSet.allOf(Operation.class))));
    }

    @Override
    public String toString() {
        return "server process " + tcpAddress();
    }
}
