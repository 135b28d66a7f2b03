package io.livepush.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The image's build stage against the reactor: fast, so it fails before anyone waits for an image build. */
class DockerfileContextTest {
    private static Path root;
    private static Dockerfile dockerfile;
    private static Collection<String> copied;

    @BeforeAll
    static void readTheBuildStagesCopy() throws IOException {
        root = RootPom.root();
        dockerfile = Dockerfile.read(root.resolve("deploy/docker/Dockerfile"));
        copied = new BuildContext(root, DockerIgnore.read(root))
                .copiedFiles(dockerfile.stage("build"))
                .values();
    }

    @Test
    void buildStageGetsThePomOfEveryReactorModule() throws IOException {
        assertThat(copied).contains("pom.xml", ".mvn/jvm.config");
        for (String module : RootPom.read(root).modules()) {
            assertThat(copied).as("module %s", module).contains(module + "/pom.xml");
        }
    }

    @Test
    void buildStageGetsNoBuildOutputsOrGitMetadata() {
        assertThat(copied)
                .isNotEmpty()
                .noneMatch(path -> path.contains("target/"))
                .noneMatch(path -> path.equals(".git") || path.startsWith(".git/"));
    }

    @Test
    void versionArgDefaultsToTheProjectVersion() throws IOException {
        assertThat(dockerfile.globalArgs())
                .containsEntry("VERSION", RootPom.read(root).version());
    }
}
