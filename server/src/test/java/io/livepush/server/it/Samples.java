package io.livepush.server.it;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample out of a Prometheus scrape. */
final class Samples {
    private Samples() {}

    /** The value of one sample, {@code name} with the labels to match as Prometheus writes them (any order). */
    static double value(String scrape, String name) {
        // Label order inside the braces is the registry's; match the sample by name and labels given.
        Matcher m = Pattern.compile(
                        "(?m)^" + Pattern.quote(name.contains("{") ? name.substring(0, name.indexOf('{')) : name)
                                + "(\\{[^}]*})? (\\S+)$")
                .matcher(scrape);
        String labels = name.contains("{") ? name.substring(name.indexOf('{') + 1, name.length() - 1) : null;
        while (m.find()) {
            if (labels == null || (m.group(1) != null && m.group(1).contains(labels))) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no sample " + name + " in\n" + scrape);
    }
}
