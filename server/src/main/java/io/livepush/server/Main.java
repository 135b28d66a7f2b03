package io.livepush.server;

import io.livepush.server.bootstrap.PushServer;
import io.livepush.server.bootstrap.StartupException;
import io.livepush.server.config.CommandLineOptions;
import io.livepush.server.config.ServerConfig;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** {@code java -jar push-server.jar [flags]}: runs the server until SIGINT/SIGTERM. */
public final class Main {
    static {
        // Before any Chronicle class loads: the server makes no network call of its own.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        CommandLine cli = CommandLineOptions.newCommandLine(System.getenv());
        ServerConfig config;
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return;
            }
            config = cli.<CommandLineOptions>getCommand().toConfig();
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            // One line, not the whole usage; picocli's stderr writer, flushed on println.
            cli.getErr().println("push-server: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        PushServer server;
        try {
            server = PushServer.start(config);
        } catch (IllegalArgumentException | StartupException e) {
            log.error("refusing to start: {}", e.getMessage()); // one line: the operator's to fix, no trace
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "push-shutdown"));
        stopped.await();
    }
}
