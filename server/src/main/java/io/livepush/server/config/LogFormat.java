package io.livepush.server.config;

import java.util.Locale;

/**
 * How log lines are written ({@code --log-format}): {@code logback.xml} picks its console appender by the
 * {@value #PROPERTY} system property, which {@link #select()} sets. Logback reads its configuration when the
 * first logger is created, so {@code select()} must come before that: one configuration, no line written in
 * the wrong format, none lost to a reconfiguration.
 */
public enum LogFormat {
    /** One line of text per event, for people. */
    TEXT,
    /** One JSON object per line (Logback's {@code JsonEncoder}), for log pipelines. */
    JSON;

    static final String PROPERTY = "push.log.format";

    /** @throws IllegalArgumentException naming the flag and the choices */
    static LogFormat of(String name) {
        for (LogFormat format : values()) {
            if (format.name().equalsIgnoreCase(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("--log-format: '" + name + "' (expected: text or json)");
    }

    /** Makes this the format of every line to come; call before the first logger is created. */
    public void select() {
        System.setProperty(PROPERTY, name().toLowerCase(Locale.ROOT));
    }
}
