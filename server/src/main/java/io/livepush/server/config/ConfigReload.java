package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Re-reads the configuration (the same flags and environment, the config file as it is now) on SIGHUP. Only the
 * namespaces apply live: a file that changes any other key is refused whole, with one WARN line naming the keys,
 * and a file that does not load is refused with one line; either way the old config stays. Nothing is half-applied:
 * the namespaces are replaced in one step, or not at all.
 */
public final class ConfigReload {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private final Map<String, String> env;
    private final String[] args;
    private final LiveNamespaces namespaces;
    /** The config the server runs with: the last one applied, minus the namespaces it replaced. */
    private final ServerConfig running;

    public ConfigReload(Map<String, String> env, String[] args, ServerConfig running, LiveNamespaces namespaces) {
        this.env = Map.copyOf(env);
        this.args = args.clone();
        this.running = requireNonNull(running, "running");
        this.namespaces = requireNonNull(namespaces, "namespaces");
    }

    /** Whether the reload applied. Thread-safe enough for one signal thread: reloads do not overlap. */
    public synchronized boolean reload() {
        ServerConfig next;
        try {
            next = CommandLineOptions.parse(env, args);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            log.warn("config reload refused, keeping the running config: {}", e.getMessage());
            return false;
        }
        List<String> fixed = changedKeys(running, next);
        if (!fixed.isEmpty()) {
            log.warn(
                    "config reload refused, nothing applied: {} cannot change without a restart (only namespaces apply live)",
                    String.join(", ", fixed));
            return false;
        }
        namespaces.replace(next.namespaces());
        log.info(
                "config reloaded: {} namespaces besides the default",
                next.namespaces().prefixed().size());
        return true;
    }

    /** The keys (flag names without dashes) whose values differ, the namespaces aside. */
    static List<String> changedKeys(ServerConfig a, ServerConfig b) {
        Map<String, String> keys = fieldKeys();
        List<String> changed = new ArrayList<>();
        for (RecordComponent component : ServerConfig.class.getRecordComponents()) {
            if (component.getName().equals("namespaces")) {
                continue;
            }
            if (!Objects.equals(value(component, a), value(component, b))) {
                changed.add(keys.getOrDefault(component.getName(), component.getName()));
            }
        }
        return changed;
    }

    /** Config field name → file key: each option's field has its config field's name (see CommandLineOptions). */
    private static Map<String, String> fieldKeys() {
        Map<String, String> keys = new HashMap<>();
        for (OptionSpec option :
                CommandLineOptions.newCommandLine(Map.of()).getCommandSpec().options()) {
            if (option.userObject() instanceof Field field) {
                keys.put(field.getName(), ConfigFileDefaults.key(option));
            }
        }
        return keys;
    }

    private static Object value(RecordComponent component, ServerConfig config) {
        try {
            return component.getAccessor().invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }
}
