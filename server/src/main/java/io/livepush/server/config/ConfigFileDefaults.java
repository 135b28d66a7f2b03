package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Takes an option's value from the {@code --config} file when neither the command line nor the environment
 * gives it: flag &gt; environment variable &gt; config file &gt; the option's own default.
 */
final class ConfigFileDefaults implements IDefaultValueProvider {
    private final EnvironmentDefaults environment;
    private final ConfigFile file;

    ConfigFileDefaults(EnvironmentDefaults environment, ConfigFile file) {
        this.environment = requireNonNull(environment, "environment");
        this.file = requireNonNull(file, "file");
    }

    /** The file's key of an option: its flag without the dashes. */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^--", "");
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        String fromEnvironment = environment.defaultValue(arg);
        if (fromEnvironment != null || !(arg instanceof OptionSpec option)) {
            return fromEnvironment;
        }
        return file.value(key(option)).map(ConfigFile.Value::text).orElse(null);
    }

    ConfigFile file() {
        return file;
    }

    /** Whether the option's value is the file's: the file has it and the environment does not. */
    boolean fromFile(OptionSpec option) {
        return environment.defaultValue(option) == null
                && file.value(key(option)).isPresent();
    }
}
