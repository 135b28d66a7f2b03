package io.livepush.loadtest;

import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;

import io.livepush.loadtest.engine.Loopback;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.scenario.Fanout;
import io.livepush.loadtest.scenario.FanoutOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fanout}: N subscribers in one room, one publisher at a fixed rate. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "N subscribers join one room; one publisher publishes at a fixed rate; checks latency and seq continuity.")
final class FanoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "server host, loopback only (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "7070", description = "server TCP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--token-secret", required = true, description = "the server's token secret (tokens are minted here)")
    String tokenSecret;

    @Option(names = "--subscribers", defaultValue = "1000", description = "subscribers (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--ramp", defaultValue = "0s", description = "spread subscriber connects over this time (default: at once)")
    Duration ramp;

    @Option(names = "--rate", defaultValue = "1000", description = "publishes per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "30s", description = "publishing time; the run stops by itself (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--payload-bytes", defaultValue = "100", description = "payload size, >= 8 (default: ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(names = "--room", defaultValue = "room.loadtest", description = "room name (default: ${DEFAULT-VALUE})")
    String room;

    @Option(names = "--io-threads", description = "event loops (default: available processors)")
    Integer ioThreads;

    @Option(names = "--out", description = "directory for summary.json and report.html")
    Path out;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress target;
        FanoutOptions options;
        try {
            target = new InetSocketAddress(Loopback.resolve(host), port);
            options = FanoutOptions.defaults(target, tokenSecret)
                    .withRate(rate).withDuration(duration).withPayloadBytes(payloadBytes).withRoom(room).withOut(out);
            if (ioThreads != null) {
                options = new FanoutOptions(target, tokenSecret, room, rate, duration, payloadBytes, out,
                        options.sampleEvery(), options.consoleEvery(), ioThreads);
            }
            if (subscribers < 1) {
                throw new IllegalArgumentException("subscribers: " + subscribers + " (expected: > 0)");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        var scenario = scenario("fanout").inject(ramp.isZero() ? atOnceUsers(subscribers) : rampUsers(subscribers).during(ramp));
        Summary summary = new Fanout(scenario, options, System.out).run();
        return summary.passed() ? 0 : 1;
    }
}
