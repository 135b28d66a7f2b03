package io.livepush.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and commit the build wrote into {@code build.properties} (Maven resource filtering): the one source for
 * {@code --version}, {@code Connected.server_version}, {@code push_build_info} and the image label.
 */
public record BuildInfo(String version, String commit) {
    private static final String UNKNOWN = "unknown";

    public static final BuildInfo CURRENT = load();

    private static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(filtered(properties.getProperty("version")), filtered(properties.getProperty("commit")));
    }

    /** A value Maven did not replace (a build without .git has no commit) reads as "unknown". */
    private static String filtered(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value;
    }
}
