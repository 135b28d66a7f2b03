package io.livepush.server.config;

import io.livepush.server.channel.ChannelNames;
import io.livepush.server.proxy.ProxyHook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code namespaces:} section of the config file: channel-name prefix → options, each option not set
 * falling back to the default namespace's.
 *
 * <pre>{@code
 * namespaces:
 *   "chat.":
 *     retention-max-messages: 100
 *     retention-max-age-s: 3600
 *     publish: true
 *     presence: true
 *     max-message-bytes: 4096
 *     join-leave-events: true
 *     proxy: [join, publish]
 * }</pre>
 */
final class NamespaceSection {
    static final List<String> KEYS = List.of(
            "retention-max-messages",
            "retention-max-age-s",
            "publish",
            "presence",
            "max-message-bytes",
            "join-leave-events",
            "proxy");

    private final Path path;

    private NamespaceSection(Path path) {
        this.path = path;
    }

    /** @throws IllegalArgumentException naming the file, line and key of the first bad entry */
    static Namespaces read(Path path, MappingNode section, Namespace defaults) {
        NamespaceSection reader = new NamespaceSection(path);
        List<Namespace> prefixed = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        for (NodeTuple entry : section.getValue()) {
            String prefix = ConfigFile.keyOf(path, entry);
            String where = ConfigFile.where(path, entry.getKeyNode()) + "namespaces: '" + prefix + "': ";
            if (!ChannelNames.isValid(prefix)) {
                throw new IllegalArgumentException(
                        where + "expected a channel-name prefix: 1-128 characters of [A-Za-z0-9._:-]");
            }
            if (!prefixes.add(prefix)) {
                throw new IllegalArgumentException(where + "duplicate namespace");
            }
            prefixed.add(reader.namespace(prefix, entry.getValueNode(), defaults));
        }
        try {
            return Namespaces.of(defaults, prefixed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config file " + path + ": " + e.getMessage(), e);
        }
    }

    private Namespace namespace(String prefix, Node node, Namespace defaults) {
        if (!(node instanceof MappingNode options)) {
            throw new IllegalArgumentException(ConfigFile.where(path, node) + "namespaces: '" + prefix
                    + "': expected a mapping of options (" + String.join(", ", KEYS) + ')');
        }
        int maxMessages = defaults.retentionMaxMessages();
        int maxAgeSeconds = defaults.retentionMaxAgeSeconds();
        boolean publish = defaults.publish();
        boolean presence = defaults.presence();
        int maxMessageBytes = defaults.maxMessageBytes();
        boolean joinLeaveEvents = defaults.joinLeaveEvents();
        Set<ProxyHook> proxy = defaults.proxyHooks();
        Set<String> seen = new HashSet<>();
        for (NodeTuple entry : options.getValue()) {
            String key = ConfigFile.keyOf(path, entry);
            String where = ConfigFile.where(path, entry.getKeyNode()) + "namespaces: '" + prefix + "': " + key + ": ";
            if (!seen.add(key)) {
                throw new IllegalArgumentException(where + "duplicate key");
            }
            Node value = entry.getValueNode();
            switch (key) {
                case "retention-max-messages" -> maxMessages = positiveInt(where, value);
                case "retention-max-age-s" -> maxAgeSeconds = positiveInt(where, value);
                case "publish" -> publish = bool(where, value);
                case "presence" -> presence = bool(where, value);
                case "max-message-bytes" -> maxMessageBytes = positiveInt(where, value);
                case "join-leave-events" -> joinLeaveEvents = bool(where, value);
                case "proxy" -> proxy = hooks(where, value);
                default ->
                    throw new IllegalArgumentException(ConfigFile.where(path, entry.getKeyNode())
                            + "namespaces: '" + prefix + "': unknown key '" + key + "'"
                            + ClosestKey.suggestion(key, KEYS));
            }
        }
        return new Namespace(
                prefix, maxMessages, maxAgeSeconds, publish, presence, maxMessageBytes, joinLeaveEvents, proxy);
    }

    private static int positiveInt(String where, Node node) {
        String text = scalar(where, node);
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, as for a value out of range
        }
        throw new IllegalArgumentException(where + "'" + text + "' (expected: an integer > 0)");
    }

    private static boolean bool(String where, Node node) {
        String text = scalar(where, node);
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(where + "'" + text + "' (expected: true or false)");
        };
    }

    private static Set<ProxyHook> hooks(String where, Node node) {
        if (!(node instanceof SequenceNode list)) {
            throw new IllegalArgumentException(where + "expected a list, e.g. [join, publish]");
        }
        Set<ProxyHook> hooks = EnumSet.noneOf(ProxyHook.class);
        for (Node item : list.getValue()) {
            String label = scalar(where, item);
            hooks.add(Namespace.PROXY_HOOKS.stream()
                    .filter(hook -> hook.label().equals(label))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            where + "'" + label + "' (expected: any of join, subscribe, publish)")));
        }
        return hooks;
    }

    private static String scalar(String where, Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new IllegalArgumentException(where + "expected a plain value");
    }
}
