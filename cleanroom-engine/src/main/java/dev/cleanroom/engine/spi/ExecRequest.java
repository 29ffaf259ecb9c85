package dev.cleanroom.engine.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command to run inside a running container, as an argv list: it reaches the container's
 * kernel exactly as written, never through a shell. Built with {@link #of} and the
 * {@code with...} methods; a final class so it can gain options without breaking compiled plugins.
 */
public final class ExecRequest {

    private final List<String> argv;
    private final Map<String, String> env;
    private final Optional<String> workdir;
    private final Optional<Duration> timeout;

    private ExecRequest(
            List<String> argv, Map<String, String> env, Optional<String> workdir, Optional<Duration> timeout) {
        this.argv = List.copyOf(argv);
        if (this.argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        this.env = Map.copyOf(env);
        this.workdir = Objects.requireNonNull(workdir, "workdir");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public static ExecRequest of(List<String> argv) {
        return new ExecRequest(argv, Map.of(), Optional.empty(), Optional.empty());
    }

    /** A command killed after {@code timeout}. */
    public static ExecRequest of(List<String> argv, Duration timeout) {
        return new ExecRequest(argv, Map.of(), Optional.empty(), Optional.of(timeout));
    }

    /** This command with these environment variables. */
    public ExecRequest withEnv(Map<String, String> values) {
        return new ExecRequest(argv, values, workdir, timeout);
    }

    /** This command run in {@code directory} inside the container. */
    public ExecRequest withWorkdir(String directory) {
        return new ExecRequest(argv, env, Optional.of(directory), timeout);
    }

    /** This command killed after {@code limit}. */
    public ExecRequest withTimeout(Duration limit) {
        return new ExecRequest(argv, env, workdir, Optional.of(limit));
    }

    public List<String> argv() {
        return argv;
    }

    public Map<String, String> env() {
        return env;
    }

    public Optional<String> workdir() {
        return workdir;
    }

    public Optional<Duration> timeout() {
        return timeout;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExecRequest r
                && r.argv.equals(argv)
                && r.env.equals(env)
                && r.workdir.equals(workdir)
                && r.timeout.equals(timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, env, workdir, timeout);
    }

    @Override
    public String toString() {
        // Env values may be secrets: names only.
        return "ExecRequest[argv=" + argv + ", env=" + env.keySet() + ", workdir=" + workdir.orElse("-") + ", timeout="
                + timeout.map(Durations::format).orElse("-") + "]";
    }
}
