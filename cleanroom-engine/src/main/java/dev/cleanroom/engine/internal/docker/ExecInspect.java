package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.Json;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code GET /exec/{id}/json} says: whether the command still runs, its exit code once the
 * daemon recorded it, and its pid on the daemon's host (0 when unknown).
 */
record ExecInspect(boolean running, Optional<Integer> exitCode, long hostPid) {

    static ExecInspect of(Map<String, Object> inspected) {
        return new ExecInspect(
                Json.isTrue(inspected, "Running"),
                Json.number(inspected, "ExitCode").map(Long::intValue),
                Json.number(inspected, "Pid").orElse(0L));
    }

    /** The exit code of a command that ended; empty while it runs or before the daemon recorded it. */
    Optional<Integer> finishedWith() {
        return running ? Optional.empty() : exitCode;
    }
}
