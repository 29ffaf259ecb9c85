package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The engine's view of a container engine: what plugins may do, plus the run-level work they
 * may not (networks, finding by label, removal with a grace period). Docker in production, a
 * fake in unit tests.
 */
public interface ContainerRuntime extends ContainerBackend, AutoCloseable {

    /** Stops with the given grace period (zero kills at once) and removes, with anonymous volumes. */
    void removeContainer(String containerId, Duration stopTimeout) throws CleanroomException;

    String createNetwork(String name, Map<String, String> labels) throws CleanroomException;

    void removeNetwork(String networkId) throws CleanroomException;

    /**
     * This build uses a network it did not create (one an earlier build left for reuse): where it
     * reaches services at their addresses on the run's network (a build in a container), its own
     * container joins it, as {@link #createNetwork} has it join a new one. Already on it is fine.
     * It stays on it after the build, as on a run kept with keepRunning: tests the IDE runs in the
     * same container reach the services the build left; removing the network disconnects it.
     */
    void joinNetwork(String networkId) throws CleanroomException;

    /** Containers (running or not) and networks carrying {@code labelKey}, with their labels. */
    List<LabeledResource> findContainers(String labelKey) throws CleanroomException;

    List<LabeledResource> findNetworks(String labelKey) throws CleanroomException;

    /**
     * Passes each line of the container's stdout and stderr, from its start, to {@code onLine} as
     * it arrives, on a thread of the runtime's. The stream ends when the container stops, when the
     * returned handle is closed, or soon after {@code limit}, whichever comes first.
     */
    AutoCloseable followLogs(String containerId, Duration limit, java.util.function.Consumer<String> onLine)
            throws CleanroomException;

    /**
     * Creates, without starting, a container named as {@code spec} says (a lock: the daemon
     * creates a name once); empty when one of that name exists already (Docker: 409 Conflict; Podman: 500 saying so).
     */
    java.util.Optional<String> createNamed(dev.cleanroom.engine.spi.ContainerSpec spec) throws CleanroomException;

    /**
     * An existing container as a service that adopts it sees it: its name, the exported host, and
     * the host port of each published container port ({@code network}: the network the build
     * reaches it on when it joined one).
     */
    dev.cleanroom.engine.spi.ContainerInfo describe(String containerId, java.util.Optional<String> network)
            throws CleanroomException;

    /** How this build reaches the services of this daemon, decided when it connected. */
    default ServiceReach reach() {
        return ServiceReach.onHost("the local daemon");
    }

    /**
     * Whether a container created from {@code spec}'s image with {@code directory} bind-mounted
     * sees the file {@code fileName} there: whether the daemon shares this directory with the
     * build. Creates no running container and leaves none behind.
     */
    default boolean seesBindMount(
            java.nio.file.Path directory, String fileName, dev.cleanroom.engine.spi.ContainerSpec spec)
            throws CleanroomException {
        return true;
    }

    /** The image as this daemon has it under that reference; empty when it has not. */
    java.util.Optional<ImageInfo> inspectImage(String image) throws CleanroomException;

    /**
     * Pulls {@code image} (again, when present), passing the daemon's progress to {@code progress}
     * a line at a time, and returns it as pulled. Fails naming the image when it cannot be pulled.
     */
    ImageInfo pullImage(String image, java.util.function.Consumer<String> progress) throws CleanroomException;

    /** Whether the daemon answers a ping right now; never throws. */
    boolean answers();

    @Override
    default void stopContainer(String containerId) throws CleanroomException {
        removeContainer(containerId, Duration.ZERO);
    }

    @Override
    void close();

    /** A container or network found by label. */
    record LabeledResource(String id, String name, Map<String, String> labels) {}
}
