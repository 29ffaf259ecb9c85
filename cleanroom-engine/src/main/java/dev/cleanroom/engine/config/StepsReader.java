package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.TomlValueReader.allTables;
import static dev.cleanroom.engine.config.TomlValueReader.describe;
import static dev.cleanroom.engine.config.TomlValueReader.shorten;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.SourcePosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** Reads the {@code [[steps]]} tables of one file, checking each step's service against the services read. */
final class StepsReader {

    static final List<String> STEP_KEYS = List.of(
            "name",
            "service",
            "command",
            "expected_output_regex",
            "expected_exit_code",
            "timeout",
            "continue_on_failure",
            "env",
            "workdir");

    private final TomlValueReader valueReader;
    private final List<ConfigProblem> problems;
    /** Every service name written, valid or not: a reference to an invalid one is not a second problem. */
    private final Set<String> declared;

    StepsReader(TomlValueReader valueReader, Set<String> declared) {
        this.valueReader = valueReader;
        this.problems = valueReader.problems();
        this.declared = declared;
    }

    List<StepConfig> readSteps(TomlParseResult toml, Map<String, ServiceConfig> services) {
        List<StepConfig> steps = new ArrayList<>();
        Object value = toml.get(List.of("steps"));
        if (value == null) {
            return steps;
        }
        if (!(value instanceof TomlArray array) || !allTables(array)) {
            problems.add(new ConfigProblem(
                    valueReader.position(toml, "steps"),
                    "steps",
                    "expected [[steps]] tables, found " + describe(value),
                    "write each step as a [[steps]] table"));
            return steps;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            TomlTable table = array.getTable(i);
            SourcePosition at = valueReader.position(array.inputPositionOf(i));
            readStep(table, i, at, services, names).ifPresent(steps::add);
        }
        return steps;
    }

    private Optional<StepConfig> readStep(
            TomlTable table, int index, SourcePosition at, Map<String, ServiceConfig> services, Set<String> names) {
        int before = problems.size();
        String prefix = "steps[" + index + "]";
        for (String key : table.keySet()) {
            if (!STEP_KEYS.contains(key)) {
                problems.add(new ConfigProblem(
                        valueReader.position(table, key),
                        prefix + "." + key,
                        "unknown step key",
                        Suggestions.didYouMean(key, STEP_KEYS)));
            }
        }
        String name = valueReader.readString(table, "name", prefix + ".name").orElse(null);
        if (name == null && !table.contains(List.of("name"))) {
            problems.add(new ConfigProblem(at, prefix + ".name", "missing step name", "add name = \"...\""));
        } else if (name != null && name.isBlank()) {
            problems.add(new ConfigProblem(
                    valueReader.position(table, "name"),
                    prefix + ".name",
                    "the step name is empty",
                    "give the step a name; reports are keyed by it"));
        } else if (name != null && !names.add(name)) {
            problems.add(new ConfigProblem(
                    valueReader.position(table, "name"),
                    prefix + ".name",
                    "duplicate step name \"" + name + "\"",
                    "give every step its own name; reports are keyed by it"));
        }
        String label = name == null ? prefix : "steps[" + index + "] (\"" + name + "\")";
        String service = readStepService(table, label, services);
        List<String> command =
                valueReader.readStringList(table, "command", label + ".command").orElse(List.of());
        if (!command.isEmpty() && command.get(0).isEmpty()) {
            problems.add(new ConfigProblem(
                    valueReader.position(table, "command"),
                    label + ".command",
                    "the program name is empty",
                    "start the command with the program to run, e.g. [\"echo\", \"hi\"]"));
        }
        if (command.isEmpty() && !problemAt(before, label + ".command")) {
            problems.add(new ConfigProblem(
                    table.contains(List.of("command")) ? valueReader.position(table, "command") : at,
                    label + ".command",
                    "missing or empty command",
                    "add command = [\"program\", \"arg\"]; it runs as written, not through a shell"));
        }
        Optional<Pattern> regex = valueReader
                .readString(table, "expected_output_regex", label + ".expected_output_regex")
                .flatMap(r -> compile(r, valueReader.position(table, "expected_output_regex"), label));
        int exitCode = valueReader
                .readInt(table, "expected_exit_code", label + ".expected_exit_code", 0, 255)
                .orElse(0);
        Optional<Duration> timeout = valueReader.readDuration(table, "timeout", label + ".timeout");
        boolean continueOnFailure =
                valueReader.readBoolean(table, "continue_on_failure", label + ".continue_on_failure");
        Map<String, String> env = valueReader.readMap(table, "env", label + ".env");
        if (!env.isEmpty() && table.get(List.of("env")) instanceof TomlTable entries) {
            valueReader.checkEnvironment(entries, label + ".env");
        }
        Optional<String> workdir = valueReader.readString(table, "workdir", label + ".workdir");
        if (problems.size() > before || name == null || service == null) {
            return Optional.empty();
        }
        return Optional.of(
                new StepConfig(name, service, command, regex, exitCode, timeout, continueOnFailure, env, workdir, at));
    }

    private boolean problemAt(int since, String keyPath) {
        return problems.subList(since, problems.size()).stream()
                .anyMatch(p -> p.keyPath().equals(keyPath));
    }

    private String readStepService(TomlTable table, String label, Map<String, ServiceConfig> services) {
        Optional<String> named = valueReader.readString(table, "service", label + ".service");
        if (named.isEmpty()) {
            if (table.contains(List.of("service"))) {
                return null;
            }
            if (services.size() == 1) {
                return services.keySet().iterator().next();
            }
            problems.add(new ConfigProblem(
                    valueReader.position(table, "name"),
                    label + ".service",
                    "missing service: the file declares " + services.size() + " services",
                    "add service = \"...\"; one of: " + String.join(", ", services.keySet())));
            return null;
        }
        if (!services.containsKey(named.get()) && declared.contains(named.get())) {
            return null;
        }
        if (!services.containsKey(named.get())) {
            problems.add(new ConfigProblem(
                    valueReader.position(table, "service"),
                    label + ".service",
                    "unknown service \"" + named.get() + "\"",
                    Suggestions.didYouMean(named.get(), services.keySet())));
            return null;
        }
        return named.get();
    }

    private Optional<Pattern> compile(String regex, SourcePosition at, String label) {
        try {
            return Optional.of(Pattern.compile(regex, Pattern.MULTILINE));
        } catch (PatternSyntaxException e) {
            problems.add(new ConfigProblem(
                    at,
                    label + ".expected_output_regex",
                    "invalid regular expression: " + e.getDescription() + " near index " + e.getIndex() + " of \""
                            + shorten(regex) + "\"",
                    "escape special characters with \\\\ (in TOML, '...' strings need no escaping)"));
            return Optional.empty();
        }
    }
}
