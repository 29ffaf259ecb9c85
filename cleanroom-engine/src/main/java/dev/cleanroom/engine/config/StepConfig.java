package dev.cleanroom.engine.config;

import dev.cleanroom.engine.api.SourcePosition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code [[steps]]} entry: an argv list run inside a service's container.
 *
 * @param expectedOutput matched with {@link java.util.regex.Matcher#find()} against stdout
 * @param continueOnFailure a failure is reported but does not fail the run, and later steps run
 */
public record StepConfig(
        String name,
        String service,
        List<String> command,
        Optional<Pattern> expectedOutput,
        int expectedExitCode,
        Optional<Duration> timeout,
        boolean continueOnFailure,
        Map<String, String> env,
        Optional<String> workdir,
        SourcePosition position) {

    public StepConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("A step's command must not be empty");
        }
        Objects.requireNonNull(expectedOutput, "expectedOutput");
        Objects.requireNonNull(timeout, "timeout");
        env = Map.copyOf(env);
        Objects.requireNonNull(workdir, "workdir");
        Objects.requireNonNull(position, "position");
    }
}
