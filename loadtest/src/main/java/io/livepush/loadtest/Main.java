package io.livepush.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar push-loadtest.jar <scenario> [options]}: exit 0 when the run passed, 1 when it failed, 2 on bad usage. */
@Command(
        name = "push-loadtest",
        mixinStandardHelpOptions = true,
        version = "push-loadtest 0.1",
        description = "Load harness for the livepush server (loopback targets only).",
        subcommands = {
            FanoutCommand.class,
            CompareCommand.class,
            RoomsCommand.class,
            SwitchCommand.class,
            ReconnectStormCommand.class,
            IdleCommand.class,
            ChannelsCommand.class,
            ChurnCommand.class
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).registerConverter(java.time.Duration.class, Durations::parse);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
