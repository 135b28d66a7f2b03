package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The {@code --config} YAML file: one key per flag, named as the flag without its dashes
 * ({@code tcp-port: 7070}), a list for a repeatable flag ({@code allowed-origins: [a, b]}, {@code token-key:
 * {k1: secret}}), and the {@code namespaces:} section. Read with SnakeYAML's node API (composed, never
 * constructed into objects), which keeps every key's line for the error messages.
 *
 * @param path the file, as given
 * @param values each flag key's value in picocli's string form (lists joined by {@code ,}), with its line
 * @param namespaces the {@code namespaces:} section's node, or {@code null} without one
 */
record ConfigFile(Path path, Map<String, Value> values, MappingNode namespaces) {
    /** The section that is not a flag. */
    static final String NAMESPACES = "namespaces";

    /** A flag's value from the file and the line it is on (1-based). */
    record Value(String text, int line) {}

    ConfigFile {
        requireNonNull(path, "path");
        values = Map.copyOf(values);
    }

    /** A file that sets nothing: what the command line runs on without {@code --config}. */
    static ConfigFile none() {
        return new ConfigFile(Path.of(""), Map.of(), null);
    }

    /**
     * @param keys the flag keys a file may set
     * @throws IllegalArgumentException naming the file and line of the first unreadable, unknown or malformed key
     */
    static ConfigFile read(Path path, Set<String> keys) {
        Node root = compose(path);
        if (root == null) {
            return new ConfigFile(path, Map.of(), null);
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new IllegalArgumentException(where(path, root) + "expected a mapping of flag names to values");
        }
        Map<String, Value> values = new LinkedHashMap<>();
        MappingNode namespaces = null;
        Set<String> seen = new HashSet<>();
        for (NodeTuple entry : mapping.getValue()) {
            String key = keyOf(path, entry);
            if (!seen.add(key)) {
                // SnakeYAML checks duplicates when it constructs objects; composing does not.
                throw new IllegalArgumentException(where(path, entry.getKeyNode()) + "duplicate key '" + key + "'");
            }
            if (key.equals(NAMESPACES)) {
                if (!(entry.getValueNode() instanceof MappingNode section)) {
                    throw new IllegalArgumentException(where(path, entry.getValueNode())
                            + "namespaces: expected a mapping of prefixes to options");
                }
                namespaces = section;
            } else if (keys.contains(key)) {
                values.put(key, new Value(text(path, key, entry.getValueNode()), line(entry.getKeyNode())));
            } else {
                throw new IllegalArgumentException(where(path, entry.getKeyNode()) + "unknown key '" + key + "'"
                        + ClosestKey.suggestion(key, keys));
            }
        }
        return new ConfigFile(path, values, namespaces);
    }

    Optional<Value> value(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** {@code "config file push.yaml line 3: "}: the start of every message about the file. */
    String where(int line) {
        return "config file " + path + " line " + line + ": ";
    }

    static String where(Path path, Node node) {
        return "config file " + path + " line " + line(node) + ": ";
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    static String keyOf(Path path, NodeTuple entry) {
        if (entry.getKeyNode() instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new IllegalArgumentException(where(path, entry.getKeyNode()) + "expected a key name");
    }

    private static Node compose(Path path) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            // Its message spans lines (a snippet with a caret); the operator gets one.
            int line = (e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark()).getLine() + 1;
            throw new IllegalArgumentException(
                    "config file " + path + " line " + line + ": " + e.getProblem() + contextOf(e), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("config file " + path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("config file " + path + ": cannot read it (" + e + ')', e);
        }
    }

    private static String contextOf(MarkedYAMLException e) {
        return e.getContext() == null ? "" : " (" + e.getContext() + ')';
    }

    /** A scalar as is; a list of scalars or a mapping of scalars as picocli's split form. */
    private static String text(Path path, String key, Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        StringJoiner joined = new StringJoiner(",");
        if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                joined.add(scalar(path, key, item));
            }
            return joined.toString();
        }
        MappingNode mapping = (MappingNode) node;
        for (NodeTuple entry : mapping.getValue()) {
            joined.add(keyOf(path, entry) + '=' + scalar(path, key, entry.getValueNode()));
        }
        return joined.toString();
    }

    private static String scalar(Path path, String key, Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new IllegalArgumentException(where(path, node) + key + ": expected a plain value");
    }
}
