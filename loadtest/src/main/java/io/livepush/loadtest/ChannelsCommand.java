package io.livepush.loadtest;

import io.livepush.loadtest.scenario.Channels;
import io.livepush.loadtest.scenario.RunOptions;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "channels",
        mixinStandardHelpOptions = true,
        description = "Publishes one message to each of N channels (one inbox per user), pipelined; counts acks and "
                + "errors by code, waits for idle channels to go, reports the server's memory before, right after and "
                + "after the wait, and checks that a new channel takes a publish and an old one answers History.")
final class ChannelsCommand extends ScenarioCommand {
    @Option(
            names = "--channels",
            defaultValue = "1000000",
            description = "channels, one message each (default: ${DEFAULT-VALUE})")
    int channels;

    @Option(
            names = "--prefix",
            defaultValue = "user.",
            description = "channel names are this and the channel's number (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(
            names = "--connections",
            defaultValue = "1",
            description =
                    "publishing connections, each with an equal share of the channels (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(
            names = "--in-flight",
            defaultValue = "1000",
            description = "most publishes unanswered on each connection (default: ${DEFAULT-VALUE})")
    int inFlight;

    @Option(
            names = "--payload-bytes",
            defaultValue = "100",
            description = "payload size, >= 8 (default: ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(
            names = "--idle-wait",
            defaultValue = "70s",
            description =
                    "wait this long after the publishes, before the last measurement and the checks: past the server's --channel-idle-s (default: ${DEFAULT-VALUE})")
    Duration idleWait;

    @Option(
            names = "--timeout",
            defaultValue = "10m",
            description = "the longest the publishes may take; the run stops by itself (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Mixin
    MemoryOptions memory;

    @Override
    Workload prepare(RunOptions run) {
        return new Channels(
                new Channels.Options(channels, prefix, connections, inFlight, payloadBytes, idleWait, timeout),
                run,
                memory.serverMemory(run.nodes().size()),
                System.out)::run;
    }
}
