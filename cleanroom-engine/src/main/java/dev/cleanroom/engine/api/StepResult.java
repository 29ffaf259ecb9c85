package dev.cleanroom.engine.api;

import java.time.Duration;
import java.util.List;

/**
 * What one step did. Secrets of the file are already masked in every field.
 *
 * @param exitCode -1 when the command timed out, could not run, or was skipped
 * @param failure why the step failed, ready to show to a user; empty when it passed
 * @param outputCut where stdout or stderr was cut because it was larger than what is kept, e.g.
 *     "stdout was cut: kept the first 524288 and the last 524288 of 1200017 bytes"; empty when
 *     the output was kept whole
 */
public record StepResult(
        String name,
        String service,
        List<String> command,
        Status status,
        int exitCode,
        Duration duration,
        String stdout,
        String stderr,
        String failure,
        String outputCut) {

    public StepResult {
        command = List.copyOf(command);
        outputCut = outputCut == null ? "" : outputCut;
    }

    /** A result whose output was kept whole. */
    public StepResult(
            String name,
            String service,
            List<String> command,
            Status status,
            int exitCode,
            Duration duration,
            String stdout,
            String stderr,
            String failure) {
        this(name, service, command, status, exitCode, duration, stdout, stderr, failure, "");
    }

    public enum Status {
        PASSED,
        FAILED,
        /** Failed, but the step has {@code continue_on_failure = true}: reported, not fatal. */
        TOLERATED,
        /** Not run because an earlier step failed. */
        SKIPPED
    }
}
