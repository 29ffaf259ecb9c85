package dev.cleanroom.engine.spi;

/**
 * One service of one run, holding its own state (container ids, sessions, clients): what
 * Testcontainers calls a container class. Created by {@link ServiceDefinition#create}.
 *
 * <p>Life: {@link #start}, then {@link #checkHealth} until healthy (see
 * {@link ServiceDefinition#waitPolicy}), then {@link #afterReady}, then {@link #handle} for the
 * endpoints tests see. Once {@link #start} has been called the engine always calls
 * {@link #stop}, exactly once, whether the service became ready or not (its start threw, its
 * health check timed out, another service failed, the build was interrupted), so stop must
 * cope with a half-done start. Besides, the engine removes every container started through the
 * context when the run ends, so nothing is left even when stop fails.
 */
public interface Service {

    /** Starts the service's containers; it need not be ready yet. */
    void start() throws CleanroomException;

    /**
     * Is the service ready? Called every {@link WaitPolicy#interval()} while it starts: keep it
     * well under 100 ms. The engine inspects the container before each call and fails the start
     * when it is no longer running. Throw when the service can never become healthy.
     */
    HealthStatus checkHealth() throws CleanroomException;

    /**
     * Runs once, after the first healthy check and before the service counts as ready: work that
     * needs a running server, such as creating a database or pulling a model. Throwing fails the
     * start.
     */
    default void afterReady() throws CleanroomException {}

    /**
     * The container that is the service, where the build reaches it, and the named endpoints
     * exported to tests (never secrets). Called after {@link #afterReady}, and by services that
     * depend on this one.
     */
    ServiceHandle handle();

    /**
     * Takes over a container an earlier run left for reuse, instead of {@link #start}: the engine
     * found {@code existing} running under this very definition. Return false when this service
     * cannot be adopted; the engine then removes it and starts afresh, which the default does.
     */
    default boolean adopt(ContainerInfo existing) throws CleanroomException {
        return false;
    }

    /**
     * Brings an adopted service back to a clean state before it is handed out again (e.g. drop
     * and re-create a database). The default does nothing: data then carries over between builds.
     */
    default void reset() throws CleanroomException {}

    /** Stops and removes what {@link #start} created; see the class comment for when it is called. */
    void stop() throws CleanroomException;
}
