package io.livepush.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The pod templates of workload objects and the containers in them. */
final class Workloads {
    private static final Set<String> TEMPLATED = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

    private Workloads() {}

    /** The pod template (metadata and spec) of a workload; empty for objects that run no pods. */
    static Optional<Map<String, Object>> podTemplate(Map<String, Object> object) {
        Object kind = object.get("kind");
        if (TEMPLATED.contains(kind)) {
            return Optional.of(Yamls.at(object, "spec", "template"));
        }
        if ("CronJob".equals(kind)) {
            return Optional.of(Yamls.at(object, "spec", "jobTemplate", "spec", "template"));
        }
        return "Pod".equals(kind) ? Optional.of(object) : Optional.empty();
    }

    static Map<String, Object> podLabels(Map<String, Object> workload) {
        return Yamls.at(podTemplate(workload).orElseThrow(), "metadata", "labels");
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return Yamls.at(podTemplate(workload).orElseThrow(), "spec");
    }

    /** Init, ordinary and ephemeral containers: the Pod Security Standards hold them all to the same rules. */
    static List<Map<String, Object>> allContainers(Map<String, Object> object) {
        List<Map<String, Object>> containers = new ArrayList<>();
        podTemplate(object).ifPresent(template -> {
            Map<String, Object> spec = Yamls.at(template, "spec");
            for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
                Yamls.list(spec.get(field)).forEach(c -> containers.add(Yamls.map(c)));
            }
        });
        return containers;
    }
}
