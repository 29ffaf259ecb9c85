package dev.cleanroom.engine.api;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.CleanroomException.Reason;
import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a configuration file, reported together before anything starts. */
public class ConfigException extends CleanroomException {
    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(Reason.CONFIG, render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        String heading = problems.size() == 1
                ? "Invalid Cleanroom configuration (1 problem):"
                : "Invalid Cleanroom configuration (" + problems.size() + " problems):";
        return problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n", heading + "\n", ""));
    }
}
