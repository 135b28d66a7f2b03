package io.livepush.deploy;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build stage's {@code COPY} lines take from the context (the repository root less {@code .dockerignore}) and
 * where each file lands, as a path relative to the stage's working directory: the files a replay of the stage gets.
 */
final class BuildContext {
    private final Path root;
    private final DockerIgnore ignore;

    BuildContext(Path root, DockerIgnore ignore) {
        this.root = root;
        this.ignore = ignore;
    }

    /** Context file (relative to the root) to its place under the working directory, for every COPY of the stage. */
    Map<String, String> copiedFiles(Dockerfile.Stage stage) throws IOException {
        String workdir = stage.workdir();
        Map<String, String> copied = new LinkedHashMap<>();
        for (Dockerfile.Instruction copy : stage.all("COPY")) {
            if (copy.flag("from").isPresent()) {
                continue;
            }
            if (copy.arguments().startsWith("[")) {
                throw new IllegalArgumentException("COPY in exec form is not supported here: " + copy.arguments());
            }
            List<String> words = Arrays.asList(copy.arguments().split("\\s+"));
            String destination = words.get(words.size() - 1);
            for (String source : words.subList(0, words.size() - 1)) {
                copy(source, destination, workdir, copied);
            }
        }
        return copied;
    }

    /** Copies what the stage's COPY lines take into {@code target}, standing for its working directory. */
    void materialise(Dockerfile.Stage stage, Path target) throws IOException {
        for (Map.Entry<String, String> file : copiedFiles(stage).entrySet()) {
            Path to = target.resolve(file.getValue());
            Files.createDirectories(to.getParent());
            Files.copy(root.resolve(file.getKey()), to);
        }
    }

    private void copy(String source, String destination, String workdir, Map<String, String> copied)
            throws IOException {
        if (source.contains("*") || source.contains("?")) {
            throw new IllegalArgumentException("COPY with a wildcard is not supported here: " + source);
        }
        String under = underWorkdir(destination, workdir);
        Path from = root.resolve(source).normalize();
        if (Files.isDirectory(from)) {
            for (String file : contextFiles(from)) {
                copied.put(root.relativize(from.resolve(file)).toString(), join(under, file));
            }
        } else if (!ignore.excludes(root.relativize(from).toString())) {
            String name =
                    destination.endsWith("/") ? join(under, from.getFileName().toString()) : under;
            copied.put(root.relativize(from).toString(), name);
        }
    }

    /** The files beneath {@code directory} that the context holds, relative to it; ignored folders are not entered. */
    private List<String> contextFiles(Path directory) throws IOException {
        List<String> files = new ArrayList<>();
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return !dir.equals(root) && ignore.excludes(root.relativize(dir).toString())
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()
                        && !ignore.excludes(root.relativize(file).toString())) {
                    files.add(directory.relativize(file).toString());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static String underWorkdir(String destination, String workdir) {
        String absolute = destination.startsWith("/") ? destination : join(workdir, destination);
        String base = workdir.endsWith("/") ? workdir : workdir + "/";
        String normalized = Path.of(absolute).normalize() + "/";
        if (!normalized.startsWith(base)) {
            throw new IllegalArgumentException("COPY to " + destination + " lands outside WORKDIR " + workdir);
        }
        String under = normalized.substring(base.length());
        return under.isEmpty() ? under : under.substring(0, under.length() - 1);
    }

    private static String join(String directory, String name) {
        return directory.isEmpty() || directory.endsWith("/") ? directory + name : directory + "/" + name;
    }
}
