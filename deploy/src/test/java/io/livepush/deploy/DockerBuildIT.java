package io.livepush.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build without a Docker daemon: the build stage's RUN commands on a scratch copy of exactly what its COPY
 * lines take (less .dockerignore), then the jar the run stage copies out of it, asked for its version. Maven runs
 * offline on this build's local repository, which the modules before this one have filled.
 */
class DockerBuildIT {
    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(10);

    @Test
    void buildStageMakesTheJarTheRunStageCopiesAndItReportsThePomVersion(@TempDir Path scratch) throws Exception {
        Path root = RootPom.root();
        Dockerfile dockerfile = Dockerfile.read(root.resolve("deploy/docker/Dockerfile"));
        Dockerfile.Stage build = dockerfile.stage("build");
        new BuildContext(root, DockerIgnore.read(root)).materialise(build, scratch);

        Map<String, String> args = stageArgs(dockerfile, build);
        for (Dockerfile.Instruction run : build.all("RUN")) {
            // The flags (--mount=type=cache) are Docker's; the parser keeps them out of the command.
            Processes.Result result =
                    Processes.run(List.of("sh", "-c", offline(run.arguments())), scratch, args, BUILD_DEADLINE);
            assertThat(result.exitCode())
                    .as("RUN %s%n%s", run.arguments(), result.tail())
                    .isZero();
        }

        Path jar = scratch.resolve(jarCopiedFrom(dockerfile, build));
        assertThat(jar).isRegularFile();
        Processes.Result version = Processes.run(
                List.of(currentJava(), "-jar", jar.toString(), "--version"), scratch, Map.of(), Duration.ofMinutes(1));
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output())
                .contains("push-server " + RootPom.read(root).version() + " (commit ");
    }

    /** The values Docker gives the stage's ARGs when no --build-arg is passed: their defaults. */
    private static Map<String, String> stageArgs(Dockerfile dockerfile, Dockerfile.Stage stage) {
        Map<String, String> args = new HashMap<>();
        for (Dockerfile.Instruction arg : stage.all("ARG")) {
            String[] nameAndDefault = arg.arguments().split("=", 2);
            args.put(
                    nameAndDefault[0],
                    nameAndDefault.length == 2
                            ? nameAndDefault[1]
                            : dockerfile.globalArgs().getOrDefault(nameAndDefault[0], ""));
        }
        return args;
    }

    /** Each mvn of the command, offline on the local repository of the Maven running this test. */
    private static String offline(String command) {
        String repository = System.getProperty("livepush.localRepository");
        assertThat(repository).as("livepush.localRepository (set by the pom)").isNotBlank();
        return command.replaceAll(
                "(?<![\\w/.-])mvn(?=\\s)", Matcher.quoteReplacement("mvn -o -Dmaven.repo.local=" + repository));
    }

    /** The source of the run stage's COPY --from=build, relative to the build stage's working directory. */
    private static String jarCopiedFrom(Dockerfile dockerfile, Dockerfile.Stage build) {
        Dockerfile.Stage runStage = dockerfile.stages().get(dockerfile.stages().size() - 1);
        String source = runStage.all("COPY").stream()
                .filter(copy -> copy.flag("from").filter(build.name()::equals).isPresent())
                .map(copy -> copy.arguments().split("\\s+")[0])
                .findFirst()
                .orElseThrow(() -> new AssertionError("the run stage copies nothing from " + build.name()));
        String workdir = build.workdir() + "/";
        assertThat(source).as("a file the build stage made in its WORKDIR").startsWith(workdir);
        return source.substring(workdir.length());
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command().orElseThrow();
    }
}
