package io.livepush.loadtest;

import io.livepush.loadtest.scenario.Churn;
import io.livepush.loadtest.scenario.RunOptions;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "churn",
        mixinStandardHelpOptions = true,
        description = "Rounds of N clients that each connect, subscribe to their inbox, get one message and leave; "
                + "reports the server's memory after every round and flags a heap after the last round more than 10%% "
                + "off the heap after the first.")
final class ChurnCommand extends ScenarioCommand {
    @Option(names = "--rounds", defaultValue = "10", description = "rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--clients",
            defaultValue = "10000",
            description = "clients in every round, each with its own inbox (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(
            names = "--prefix",
            defaultValue = "user.",
            description = "inbox names are this and the client's number (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(
            names = "--payload-bytes",
            defaultValue = "100",
            description = "payload size, >= 8 (default: ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(
            names = "--duration",
            defaultValue = "10m",
            description = "the longest the run may take; it stops by itself (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Mixin
    MemoryOptions memory;

    @Override
    Workload prepare(RunOptions run) {
        return new Churn(
                new Churn.Options(rounds, clients, prefix, payloadBytes, duration),
                run,
                memory.serverMemory(run.nodes().size()),
                System.out)::run;
    }
}
