package dev.cleanroom.engine.api;

import java.time.Duration;
import java.util.List;

/**
 * What one step did. Secrets of the file are already masked in every field.
 *
 * @param exitCode -1 when the command timed out, could not run, or was skipped
 * @param failure why the step failed, ready to show to a user; empty when it passed
 */
public record StepResult(String name, String service, List<String> command, Status status, int exitCode,
                         Duration duration, String stdout, String stderr, String failure) {

    public StepResult {
        command = List.copyOf(command);
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
