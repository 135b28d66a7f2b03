package io.livepush.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What {@code kubectl apply -k} would send, for the parts of kustomize our manifests use (kustomize itself is not
 * installed where CI runs): resources (files and folders, recursively), inline patches merged into the object of the
 * same kind and name, and image tags. A kustomization using anything else fails here rather than being misread.
 * {@code configMapGenerator} is accepted and produces nothing: no check reads a ConfigMap.
 */
final class Kustomization {
    private static final Set<String> UNDERSTOOD =
            Set.of("apiVersion", "kind", "resources", "patches", "images", "configMapGenerator");

    private Kustomization() {}

    static List<Map<String, Object>> render(Path directory) throws IOException {
        Map<String, Object> kustomization =
                loadAll(directory.resolve("kustomization.yaml")).get(0);
        Set<String> unknown = new HashSet<>(kustomization.keySet());
        unknown.removeAll(UNDERSTOOD);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(directory + "/kustomization.yaml: not understood here: " + unknown);
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object resource : Yamls.list(kustomization.get("resources"))) {
            Path path = directory.resolve((String) resource).normalize();
            objects.addAll(Files.isDirectory(path) ? render(path) : loadAll(path));
        }
        for (Object patch : Yamls.list(kustomization.get("patches"))) {
            Map<String, Object> entry = Yamls.map(patch);
            if (entry.size() != 1 || !entry.containsKey("patch")) {
                throw new IllegalArgumentException("only inline patches (patch: |-) are understood here: " + entry);
            }
            applyPatch(objects, yaml().load((String) entry.get("patch")));
        }
        for (Object image : Yamls.list(kustomization.get("images"))) {
            retag(objects, Yamls.map(image));
        }
        return objects;
    }

    static List<Map<String, Object>> loadAll(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : yaml().loadAll(reader)) {
                if (document != null) {
                    documents.add(Yamls.map(document));
                }
            }
        }
        return documents;
    }

    private static void applyPatch(List<Map<String, Object>> objects, Map<String, Object> patch) {
        Map<String, Object> target = objects.stream()
                .filter(o ->
                        o.get("kind").equals(patch.get("kind")) && Yamls.name(o).equals(Yamls.name(patch)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("patch without a target: " + patch));
        merge(target, patch);
    }

    /** A strategic merge patch restricted to maps and scalars; lists would need kustomize's merge keys. */
    private static void merge(Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            Object current = target.get(entry.getKey());
            if (entry.getValue() instanceof Map<?, ?> && current instanceof Map<?, ?>) {
                merge(Yamls.map(current), Yamls.map(entry.getValue()));
            } else if (entry.getValue() instanceof List<?>) {
                throw new IllegalArgumentException("a patch of a list is not understood here: " + entry.getKey());
            } else {
                target.put(entry.getKey(), entry.getValue());
            }
        }
    }

    private static void retag(List<Map<String, Object>> objects, Map<String, Object> image) {
        for (Map<String, Object> object : objects) {
            for (Map<String, Object> container : Workloads.allContainers(object)) {
                ImageReference reference = ImageReference.parse((String) container.get("image"));
                if (reference.name().equals(image.get("name"))) {
                    String name = (String) image.getOrDefault("newName", reference.name());
                    String tag = String.valueOf(image.getOrDefault("newTag", reference.tag()));
                    container.put("image", tag.isEmpty() ? name : name + ":" + tag);
                }
            }
        }
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
