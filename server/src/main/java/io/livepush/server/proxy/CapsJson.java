package io.livepush.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code caps} from a backend's answer, in the shape of the JWT claim:
 * {@code [{"channels": ["room.*"], "allow": ["join", "publish"]}]}. Operations this server does not
 * know are skipped, as in tokens.
 */
final class CapsJson {
    private CapsJson() {}

    /** @throws IllegalArgumentException saying what is wrong with the shape */
    static List<Capability> read(JsonNode caps) {
        if (caps == null || caps.isNull() || caps.isMissingNode()) {
            return List.of();
        }
        if (!caps.isArray()) {
            throw new IllegalArgumentException("caps must be an array");
        }
        List<Capability> result = new ArrayList<>();
        for (JsonNode cap : caps) {
            Set<Operation> allow = EnumSet.noneOf(Operation.class);
            for (String name : strings(cap.path("allow"), "allow")) {
                Operation.fromWireName(name).ifPresent(allow::add);
            }
            result.add(new Capability(strings(cap.path("channels"), "channels"), allow));
        }
        return List.copyOf(result);
    }

    private static List<String> strings(JsonNode node, String name) {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("caps: " + name + " must be an array of strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException("caps: " + name + " must be an array of strings");
            }
            result.add(element.asText());
        }
        return result;
    }
}
