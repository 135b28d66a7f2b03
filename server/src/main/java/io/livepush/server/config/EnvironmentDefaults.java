package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Takes an option's value from the environment when the command line does not give it:
 * {@code --tcp-port} ⇄ {@code PUSH_TCP_PORT}. Without the variable, the option keeps its own default.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
    private final Map<String, String> env;

    EnvironmentDefaults(Map<String, String> env) {
        this.env = requireNonNull(env, "env");
    }

    static String variableName(OptionSpec option) {
        return "PUSH_"
                + option.longestName().replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option && !option.usageHelp() && !option.versionHelp()) {
            return env.get(variableName(option));
        }
        return null;
    }
}
