package io.livepush.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore}, matched as Docker does: patterns relative to the context root, {@code *} and {@code ?}
 * within one path element, {@code **} across any number of them, a matching directory excludes all beneath it, and
 * the last matching line wins ({@code !} re-includes).
 */
final class DockerIgnore {
    private record Rule(Pattern pattern, boolean exclude) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    static DockerIgnore read(Path contextRoot) throws IOException {
        Path file = contextRoot.resolve(".dockerignore");
        return Files.exists(file) ? parse(Files.readAllLines(file)) : new DockerIgnore(List.of());
    }

    static DockerIgnore parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String line : lines) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            boolean exclude = !text.startsWith("!");
            String glob = (exclude ? text : text.substring(1)).replaceFirst("^(\\./|/)+", "");
            glob = glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob;
            rules.add(new Rule(Pattern.compile(regex(glob)), exclude));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** Whether the file or directory at {@code relativePath} ("a/b/c", from the context root) stays out. */
    boolean excludes(String relativePath) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matchesItselfOrParent(rule.pattern(), relativePath)) {
                excluded = rule.exclude();
            }
        }
        return excluded;
    }

    private static boolean matchesItselfOrParent(Pattern pattern, String path) {
        for (int end = path.indexOf('/'); end >= 0; end = path.indexOf('/', end + 1)) {
            if (pattern.matcher(path.substring(0, end)).matches()) {
                return true;
            }
        }
        return pattern.matcher(path).matches();
    }

    private static String regex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 2;
            } else if (glob.startsWith("**", i)) {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[' || c == '\\') {
                throw new IllegalArgumentException(".dockerignore: '" + c + "' in " + glob + " is not supported here");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
