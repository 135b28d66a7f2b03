package io.livepush.deploy;

import java.util.List;
import java.util.Map;

/** Typed access to the maps and lists SnakeYAML builds; a missing key reads as empty. */
final class Yamls {
    private Yamls() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    /** The map at {@code keys} under {@code root}, empty where any of them is missing. */
    static Map<String, Object> at(Map<String, Object> root, String... keys) {
        Map<String, Object> current = root;
        for (String key : keys) {
            current = map(current.get(key));
        }
        return current;
    }

    static String name(Map<String, Object> object) {
        return String.valueOf(at(object, "metadata").get("name"));
    }

    /** Whether every label of {@code selector} is among {@code labels} (a matchLabels selector). */
    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }
}
