package io.livepush.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both Kubernetes variants as {@code kubectl apply -k} would create them, held to what an operator needs: admission
 * under the "restricted" Pod Security Standard, a read-only root, the pinned image, a drain before SIGTERM, a
 * disruption budget and headless governing Services. No schema validator installs here, so the fields are checked.
 */
class KubernetesManifestsTest {
    private static final String SERVER_IMAGE = "livepush/server";

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s", "deploy/k8s/cluster"})
    void everyPodPassesTheRestrictedPodSecurityStandard(String variant) throws IOException {
        List<Map<String, Object>> workloads = workloads(variant);

        assertThat(workloads).isNotEmpty();
        for (Map<String, Object> workload : workloads) {
            assertThat(RestrictedPodSecurity.violations(workload))
                    .as(id(workload))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s", "deploy/k8s/cluster"})
    void rootFilesystemsAreReadOnlyAndTheServerWritesToEmptyDirsBesidesData(String variant) throws IOException {
        for (Map<String, Object> workload : workloads(variant)) {
            for (Map<String, Object> container : Workloads.allContainers(workload)) {
                assertThat(Yamls.at(container, "securityContext").get("readOnlyRootFilesystem"))
                        .as("%s container %s: readOnlyRootFilesystem", id(workload), container.get("name"))
                        .isEqualTo(true);
            }
            for (Map<String, Object> server : serverContainers(workload)) {
                Map<String, String> mounts = mountedVolumes(server);
                assertThat(mounts).containsKeys("/data", "/tmp", "/home/livepush/.cache");
                for (String scratch : List.of("/tmp", "/home/livepush/.cache")) {
                    assertThat(volume(workload, mounts.get(scratch)))
                            .as("%s: the volume at %s", id(workload), scratch)
                            .containsKey("emptyDir");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s", "deploy/k8s/cluster"})
    void serverRunsThePomVersionIsProbedAndWaitsForItsEndpointsToGoBeforeSigterm(String variant) throws IOException {
        String version = RootPom.read(RootPom.root()).version();
        List<Map<String, Object>> servers = workloads(variant).stream()
                .filter(workload -> !serverContainers(workload).isEmpty())
                .toList();

        assertThat(servers).hasSize(1);
        Map<String, Object> workload = servers.get(0);
        for (Map<String, Object> container : Workloads.allContainers(workload)) {
            if (ImageReference.parse((String) container.get("image")).name().equals(SERVER_IMAGE)) {
                assertThat(container).containsEntry("image", SERVER_IMAGE + ":" + version);
                assertThat(container).containsEntry("imagePullPolicy", "IfNotPresent");
            }
        }
        Map<String, Object> server = serverContainers(workload).get(0);
        assertThat(server).containsKeys("startupProbe", "livenessProbe", "readinessProbe");
        assertThat(Yamls.at(server, "readinessProbe", "httpGet")).containsEntry("path", "/health/ready");
        List<?> preStop =
                Yamls.list(Yamls.at(server, "lifecycle", "preStop", "exec").get("command"));
        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        assertThat(Integer.parseInt((String) preStop.get(1)))
                .isPositive()
                .isLessThan((Integer) Workloads.podSpec(workload).get("terminationGracePeriodSeconds") / 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s", "deploy/k8s/cluster"})
    void everyWorkloadHasOneDisruptionBudgetSelectingItsPods(String variant) throws IOException {
        List<Map<String, Object>> objects = Kustomization.render(RootPom.root().resolve(variant));
        List<Map<String, Object>> budgets = ofKind(objects, "PodDisruptionBudget");

        for (Map<String, Object> workload : workloads(objects)) {
            assertThat(budgets)
                    .as("%s: PodDisruptionBudgets", id(workload))
                    .filteredOn(budget -> Yamls.selects(
                            Yamls.at(budget, "spec", "selector", "matchLabels"), Workloads.podLabels(workload)))
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s", "deploy/k8s/cluster"})
    void everyStatefulSetIsGovernedByAHeadlessServiceSelectingItsPods(String variant) throws IOException {
        List<Map<String, Object>> objects = Kustomization.render(RootPom.root().resolve(variant));

        for (Map<String, Object> statefulSet : ofKind(objects, "StatefulSet")) {
            Object serviceName = Yamls.at(statefulSet, "spec").get("serviceName");
            assertThat(ofKind(objects, "Service"))
                    .as("%s: the governing Service %s", id(statefulSet), serviceName)
                    .filteredOn(service -> Yamls.name(service).equals(serviceName))
                    .singleElement()
                    .satisfies(service -> {
                        assertThat(Yamls.at(service, "spec")).containsEntry("clusterIP", "None");
                        assertThat(Yamls.selects(
                                        Yamls.at(service, "spec", "selector"), Workloads.podLabels(statefulSet)))
                                .isTrue();
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s", "deploy/k8s/cluster"})
    void everyServiceSelectsThePodsOfAWorkload(String variant) throws IOException {
        List<Map<String, Object>> objects = Kustomization.render(RootPom.root().resolve(variant));
        List<Map<String, Object>> workloads = workloads(objects);

        for (Map<String, Object> service : ofKind(objects, "Service")) {
            Map<String, Object> selector = Yamls.at(service, "spec", "selector");
            assertThat(workloads)
                    .as("%s: workloads whose pods it selects", id(service))
                    .anyMatch(workload -> Yamls.selects(selector, Workloads.podLabels(workload)));
        }
    }

    /** For kubectl apply -f as much as -k: the files and every kustomization's images name the pom version. */
    @Test
    void manifestFilesAndKustomizationsPinTheServerImageToThePomVersion() throws IOException {
        String version = RootPom.read(RootPom.root()).version();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(RootPom.root().resolve("deploy/k8s"))) {
            files = walk.filter(path -> path.toString().endsWith(".yaml")).toList();
        }
        int pinned = 0;
        for (Path file : files) {
            for (Map<String, Object> object : Kustomization.loadAll(file)) {
                for (Map<String, Object> container : Workloads.allContainers(object)) {
                    ImageReference image = ImageReference.parse((String) container.get("image"));
                    if (image.name().equals(SERVER_IMAGE)) {
                        assertThat(image.tag()).as("%s, %s", file, id(object)).isEqualTo(version);
                        pinned++;
                    }
                }
                for (Object image : Yamls.list(object.get("images"))) {
                    if (Yamls.map(image).get("name").equals(SERVER_IMAGE)) {
                        assertThat(Yamls.map(image)).as(file.toString()).containsEntry("newTag", version);
                        pinned++;
                    }
                }
            }
        }
        assertThat(pinned).as("server images and image overrides").isGreaterThanOrEqualTo(5);
    }

    private static List<Map<String, Object>> workloads(String variant) throws IOException {
        return workloads(Kustomization.render(RootPom.root().resolve(variant)));
    }

    private static List<Map<String, Object>> workloads(List<Map<String, Object>> objects) {
        return objects.stream()
                .filter(object -> Workloads.podTemplate(object).isPresent())
                .toList();
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream()
                .filter(object -> kind.equals(object.get("kind")))
                .toList();
    }

    /** The workload's main containers running the server image (not its init containers). */
    private static List<Map<String, Object>> serverContainers(Map<String, Object> workload) {
        return Yamls.list(Workloads.podSpec(workload).get("containers")).stream()
                .map(Yamls::map)
                .filter(c ->
                        ImageReference.parse((String) c.get("image")).name().equals(SERVER_IMAGE))
                .toList();
    }

    /** Mount path to volume name. */
    private static Map<String, String> mountedVolumes(Map<String, Object> container) {
        return Yamls.list(container.get("volumeMounts")).stream()
                .map(Yamls::map)
                .collect(Collectors.toMap(
                        mount -> (String) mount.get("mountPath"), mount -> (String) mount.get("name")));
    }

    private static Map<String, Object> volume(Map<String, Object> workload, String name) {
        return Yamls.list(Workloads.podSpec(workload).get("volumes")).stream()
                .map(Yamls::map)
                .filter(volume -> name.equals(volume.get("name")))
                .findFirst()
                .orElse(Map.of());
    }

    private static String id(Map<String, Object> object) {
        return object.get("kind") + " " + Yamls.name(object);
    }
}
