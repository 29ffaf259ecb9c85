package dev.cleanroom.engine.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * What a command run in a container did. When {@code timedOut} is true the command was
 * killed and {@code exitCode} is -1. Output larger than what is kept holds its beginning and
 * its end with a marker line between them; {@code stdoutCut} and {@code stderrCut} then say
 * where and how much was cut.
 */
public record ExecResult(
        int exitCode,
        String stdout,
        String stderr,
        Duration duration,
        boolean timedOut,
        Optional<OutputCut> stdoutCut,
        Optional<OutputCut> stderrCut) {

    public ExecResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
        stdoutCut = stdoutCut == null ? Optional.empty() : stdoutCut;
        stderrCut = stderrCut == null ? Optional.empty() : stderrCut;
    }

    /** A result whose output was kept whole. */
    public ExecResult(int exitCode, String stdout, String stderr, Duration duration, boolean timedOut) {
        this(exitCode, stdout, stderr, duration, timedOut, Optional.empty(), Optional.empty());
    }
}
