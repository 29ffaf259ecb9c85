package dev.cleanroom.engine.spi;

/**
 * What a plugin may do with containers. The engine hands each service its own backend, bound
 * to the run: containers started through it join the run's network under the service's name,
 * carry the run's labels, and are removed when the run ends even if the plugin forgets.
 *
 * <p>Unit tests use a fake implementation; production uses Docker.
 */
public interface ContainerBackend {

    /** Creates and starts a container, pulling its image first when it is not present. */
    ContainerInfo startContainer(ContainerSpec spec) throws CleanroomException;

    /** Stops (after the spec's stop timeout) and removes a container with its anonymous volumes. */
    void stopContainer(String containerId) throws CleanroomException;

    boolean isRunning(String containerId) throws CleanroomException;

    ContainerState inspect(String containerId) throws CleanroomException;

    /** Runs an argv list inside a running container; a timeout kills the command. */
    ExecResult exec(String containerId, ExecRequest request) throws CleanroomException;

    /** The last {@code lines} lines of the container's stdout and stderr, interleaved. */
    String logs(String containerId, int lines) throws CleanroomException;

    /**
     * Watches the container's output, from its start, for a line matching {@code pattern}, for at
     * most {@code limit} (a service's start timeout): matching gives up then too, so a pattern that
     * backtracks for hours cannot hang the start. Ask the watch for its status on every health
     * check. The engine's backend follows the log stream once per container and pattern, and
     * closes it on a match or when the container is stopped; this default, for other backends,
     * reads the last 10,000 lines on every status call.
     */
    default LogWatch watchLog(String containerId, java.util.regex.Pattern pattern, java.time.Duration limit)
            throws CleanroomException {
        return new PolledLogWatch(this, containerId, pattern, limit);
    }

    /** The address this JVM reaches published ports on. */
    String hostAddress();
}
