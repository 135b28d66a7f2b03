package io.livepush.loadtest;

import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.scenario.RunOptions;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A scripted scenario on the command line: bad options exit 2, a failed run 1, a passed one 0. */
abstract class ScenarioCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    interface Workload {
        Summary run() throws IOException, InterruptedException;
    }

    /** Builds the run from the options; {@link IllegalArgumentException} means bad usage. */
    abstract Workload prepare(RunOptions run);

    @Override
    public Integer call() throws Exception {
        Workload workload;
        try {
            workload = prepare(target.runOptions());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return workload.run().passed() ? 0 : 1;
    }
}
