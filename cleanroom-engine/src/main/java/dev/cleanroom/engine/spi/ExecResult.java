package dev.cleanroom.engine.spi;

import java.time.Duration;

/**
 * What a command run in a container did. When {@code timedOut} is true the command was
 * killed and {@code exitCode} is -1.
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration duration, boolean timedOut) {

    public ExecResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }
}
