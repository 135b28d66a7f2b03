package io.livepush.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile as instructions grouped by stage: enough to replay a build stage without Docker. Lines ending in
 * {@code \} continue; comment lines are dropped, also inside a continued instruction, as Docker does.
 */
record Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {

    /** {@code RUN --mount=type=cache,target=/root/.m2 mvn ...}: keyword "RUN", flags, then the rest. */
    record Instruction(String keyword, List<String> flags, String arguments) {
        Optional<String> flag(String name) {
            String prefix = "--" + name + "=";
            return flags.stream()
                    .filter(f -> f.startsWith(prefix))
                    .map(f -> f.substring(prefix.length()))
                    .findFirst();
        }
    }

    record Stage(String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .toList();
        }

        /** The last WORKDIR (absolute in our Dockerfile), "/" without one. */
        String workdir() {
            List<Instruction> workdirs = all("WORKDIR");
            return workdirs.isEmpty() ? "/" : workdirs.get(workdirs.size() - 1).arguments();
        }
    }

    static Dockerfile read(Path file) throws IOException {
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (String logicalLine : logicalLines(Files.readAllLines(file))) {
            Instruction instruction = instruction(logicalLine);
            if (instruction.keyword().equals("FROM")) {
                String[] words = instruction.arguments().split("\\s+");
                String name = words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : "#" + stages.size();
                current = new ArrayList<>();
                stages.add(new Stage(name, current));
            } else if (current != null) {
                current.add(instruction);
            } else if (instruction.keyword().equals("ARG")) {
                String[] nameAndDefault = instruction.arguments().split("=", 2);
                globalArgs.put(nameAndDefault[0], nameAndDefault.length == 2 ? nameAndDefault[1] : "");
            }
        }
        return new Dockerfile(Map.copyOf(globalArgs), List.copyOf(stages));
    }

    Stage stage(String name) {
        return stages.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + name + " in the Dockerfile"));
    }

    private static List<String> logicalLines(List<String> lines) {
        List<String> logical = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : lines) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && pending.length() == 0)) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                pending.append(stripped, 0, stripped.length() - 1).append(' ');
            } else {
                logical.add(pending.append(stripped).toString().strip());
                pending.setLength(0);
            }
        }
        return logical;
    }

    private static Instruction instruction(String line) {
        String[] keywordAndRest = line.split("\\s+", 2);
        String rest = keywordAndRest.length == 2 ? keywordAndRest[1] : "";
        List<String> flags = new ArrayList<>();
        while (rest.startsWith("--")) {
            String[] flagAndRest = rest.split("\\s+", 2);
            flags.add(flagAndRest[0]);
            rest = flagAndRest.length == 2 ? flagAndRest[1] : "";
        }
        return new Instruction(keywordAndRest[0].toUpperCase(Locale.ROOT), List.copyOf(flags), rest);
    }
}
