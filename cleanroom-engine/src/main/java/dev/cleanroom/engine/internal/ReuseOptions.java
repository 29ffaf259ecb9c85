package dev.cleanroom.engine.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a build asks for reuse across builds (see {@link ReuseDecision}): its own setting and where
 * it came from, the time-to-live of reused services, how long to wait for another build's
 * lock, the project's directory (reuse names files relative to it), and the environment (for CI
 * detection).
 */
public record ReuseOptions(
        Optional<Boolean> build,
        String buildSource,
        Duration ttl,
        Duration lockWait,
        Path projectDirectory,
        Map<String, String> environment) {

    /** Long enough for a slow image's first start behind a health check; a lock is usually held for seconds. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(5);

    public ReuseOptions {
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(buildSource, "buildSource");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(lockWait, "lockWait");
        Objects.requireNonNull(projectDirectory, "projectDirectory");
        environment = Map.copyOf(environment);
    }

    /** Whether the build itself said false: then even a stop removes reused services. */
    public boolean explicitlyOff() {
        return build.isPresent() && !build.get();
    }
}
