package dev.cleanroom.engine.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command to run inside a running container, as an argv list: it reaches the container's
 * kernel exactly as written, never through a shell.
 */
public record ExecRequest(List<String> argv, Map<String, String> env, Optional<String> workdir,
                          Optional<Duration> timeout) {

    public ExecRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        env = Map.copyOf(env);
        Objects.requireNonNull(workdir, "workdir");
        Objects.requireNonNull(timeout, "timeout");
    }

    public static ExecRequest of(List<String> argv) {
        return new ExecRequest(argv, Map.of(), Optional.empty(), Optional.empty());
    }

    public static ExecRequest of(List<String> argv, Duration timeout) {
        return new ExecRequest(argv, Map.of(), Optional.empty(), Optional.of(timeout));
    }
}
