package dev.cleanroom.engine.spi;

/**
 * Watches a container's output for a line matching a pattern, for a log health check. See
 * {@link ContainerBackend#watchLog}.
 */
public interface LogWatch extends AutoCloseable {

    /**
     * Healthy once a line matched; not yet before. Throws when the pattern could not be matched
     * before the watch's limit (catastrophic backtracking): waiting longer cannot help.
     */
    HealthStatus status() throws CleanroomException;

    /** Stops watching; the log stream, if one is open, is closed. */
    @Override
    void close();
}
