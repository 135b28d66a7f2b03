package io.livepush.server;

import ch.qos.logback.classic.LoggerContext;
import io.livepush.server.bootstrap.PushServer;
import io.livepush.server.bootstrap.StartupException;
import io.livepush.server.config.CommandLineOptions;
import io.livepush.server.config.ConfigReload;
import io.livepush.server.config.ServerConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code java -jar push-server.jar [flags]}: runs the server until SIGINT/SIGTERM; SIGHUP reloads the config. */
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
            cli = CommandLineOptions.parseCommandLine(System.getenv(), args);
            if (CommandLine.printHelpIfRequested(cli.getParseResult())) {
                return;
            }
            CommandLineOptions options = cli.getCommand();
            // Before the first logger exists: logback.xml reads the format once, when that logger is created.
            options.logFormat().select();
            config = options.toConfig();
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            // One line, not the whole usage; picocli's stderr writer, flushed on println.
            cli.getErr().println("push-server: " + e.getMessage() + " (see push-server --help)");
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        AtomicReference<PushServer> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before the start, so that every exit (a refused start, a signal) writes the lines the async
        // appender still holds. Not Logback's own hook: hooks run in no set order, and the server's last lines
        // (its shutdown summary) must be logged before Logback stops.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            PushServer server = running.get();
                            if (server != null) {
                                server.close();
                            }
                            stopLogging();
                            stopped.countDown();
                        },
                        "push-shutdown"));
        try {
            running.set(PushServer.start(config));
        } catch (IllegalArgumentException | StartupException e) {
            log.error("refusing to start: {}", e.getMessage()); // one line: the operator's to fix, no trace
            System.exit(2);
            return;
        }
        ConfigReload reload =
                new ConfigReload(System.getenv(), args, config, running.get().namespaces());
        // The JVM's own SIGHUP handling runs the shutdown hooks; a server reloads its config instead. The handler
        // runs on the JVM's signal thread, never on an event loop.
        SignalHandler before = Signal.handle(new Signal("HUP"), signal -> reload.reload());
        if (before == SignalHandler.SIG_IGN) {
            // Started with SIGHUP ignored (nohup): the JVM then keeps it ignored, and a reload would never come.
            log.warn("SIGHUP is ignored in this process (started under nohup?): the config cannot be reloaded by"
                    + " signal, only by a restart");
        }
        stopped.await();
    }

    /** Stops Logback, so the async appender writes the lines it still holds before the JVM exits. */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
