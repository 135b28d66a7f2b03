package io.livepush.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our kustomize walker against kustomize itself (kubectl's), where kubectl is installed. */
class KustomizationTest {

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s", "deploy/k8s/cluster"})
    void rendersWhatKubectlKustomizeRenders(String variant, @TempDir Path scratch) throws Exception {
        Path directory = RootPom.root().resolve(variant);
        Processes.Result kubectl = kubectlKustomize(directory);
        assumeTrue(kubectl != null, "kubectl is not installed");
        assertThat(kubectl.exitCode()).as(kubectl.tail()).isZero();
        Path rendered = Files.writeString(scratch.resolve("rendered.yaml"), kubectl.output());

        // The generated ConfigMap's name gets a content hash, and kubectl rewrites the references to it (in env):
        // both are left out, as the walker does not generate ConfigMaps.
        List<Map<String, Object>> expected = withoutEnv(Kustomization.loadAll(rendered).stream()
                .filter(object -> !"ConfigMap".equals(object.get("kind")))
                .toList());
        assertThat(withoutEnv(Kustomization.render(directory))).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static Processes.Result kubectlKustomize(Path directory) throws InterruptedException {
        try {
            return Processes.run(
                    List.of("kubectl", "kustomize", directory.toString()), directory, Map.of(), Duration.ofMinutes(1));
        } catch (IOException notInstalled) {
            return null;
        }
    }

    private static List<Map<String, Object>> withoutEnv(List<Map<String, Object>> objects) {
        for (Map<String, Object> object : objects) {
            Workloads.allContainers(object).forEach(container -> container.remove("env"));
        }
        return objects;
    }
}
