package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.internal.ContainerRuntime;
import dev.cleanroom.engine.internal.ImageInfo;
import dev.cleanroom.engine.internal.InContainerDetection;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link ContainerRuntime} on a real Docker daemon, speaking its Engine API directly. The work is
 * done by one class per job ({@link Containers}, {@link Images}, {@link Execs}, {@link Logs},
 * {@link Networks}); failures carry a reason from {@link DaemonFailures}.
 *
 * <p>Why not docker-java's client: loading it and its JSON bindings cost every build about half a
 * second before the first container, more than the daemon needs to start one. The API calls
 * we make are few and stable (create, start, inspect, exec, logs, remove, networks, lists).
 */
public final class DockerRuntime implements ContainerRuntime {

    private final DockerApi api;
    private final ServiceReach reach;
    private final EngineLog log;
    private final RegistryAuthLocator registryAuth;
    private final Images images;
    private final Containers containers;
    private final Execs execs;
    private final Logs logs;
    private final Networks networks;

    DockerRuntime(DockerApi api, ServiceReach reach, EngineLog log) {
        this(api, reach, log, RegistryAuthLocator.current(Map.of()));
    }

    private DockerRuntime(DockerApi api, ServiceReach reach, EngineLog log, RegistryAuthLocator registryAuth) {
        this.api = api;
        this.reach = reach;
        this.log = log;
        this.registryAuth = registryAuth;
        this.images = new Images(api, log, registryAuth);
        this.containers = new Containers(api, reach, log, images);
        this.execs = new Execs(api, reach, log);
        this.logs = new Logs(api, log);
        this.networks = new Networks(api, reach, log);
    }

    /** A runtime whose services are reached at {@code hostAddress}: on the daemon's host when it is loopback. */
    DockerRuntime(DockerApi api, String hostAddress, EngineLog log) {
        this(
                api,
                ServiceReach.isLoopback(hostAddress)
                        ? ServiceReach.onHost(api.host())
                        : ServiceReach.remote(api.host(), hostAddress),
                log);
    }

    /** This connection, pulling with the credentials {@code registryAuth} finds (e.g. with settings.xml servers). */
    public DockerRuntime withRegistryAuth(RegistryAuthLocator registryAuth) {
        return new DockerRuntime(api, reach, log, registryAuth);
    }

    /**
     * This connection, its services reached as {@code chosen} says: for tests that play a build in
     * a container, and adapters that know better than the detection.
     */
    public DockerRuntime withReach(ServiceReach chosen) {
        return new DockerRuntime(api, chosen, log, registryAuth);
    }

    @Override
    public String hostAddress() {
        return reach.exportedHost();
    }

    @Override
    public ServiceReach reach() {
        return reach;
    }

    @Override
    public ContainerInfo startContainer(ContainerSpec spec) throws CleanroomException {
        return containers.start(spec);
    }

    @Override
    public Optional<String> createNamed(ContainerSpec spec) throws CleanroomException {
        return containers.createNamed(spec);
    }

    @Override
    public ContainerInfo describe(String containerId, Optional<String> network) throws CleanroomException {
        return containers.describe(containerId, network);
    }

    @Override
    public Optional<ImageInfo> inspectImage(String image) throws CleanroomException {
        return images.inspect(image);
    }

    @Override
    public ImageInfo pullImage(String image, Consumer<String> progress) throws CleanroomException {
        return images.pull(image, progress);
    }

    @Override
    public void removeContainer(String containerId, Duration stopTimeout) throws CleanroomException {
        containers.remove(containerId, stopTimeout);
    }

    @Override
    public boolean isRunning(String containerId) throws CleanroomException {
        return inspect(containerId).running();
    }

    @Override
    public ContainerState inspect(String containerId) throws CleanroomException {
        return containers.inspect(containerId);
    }

    @Override
    public ExecResult exec(String containerId, ExecRequest request) throws CleanroomException {
        return execs.exec(containerId, request);
    }

    @Override
    public String logs(String containerId, int lines) throws CleanroomException {
        return logs.tail(containerId, lines);
    }

    @Override
    public AutoCloseable followLogs(String containerId, Duration limit, Consumer<String> onLine)
            throws CleanroomException {
        return logs.follow(containerId, limit, onLine);
    }

    @Override
    public String createNetwork(String name, Map<String, String> labels) throws CleanroomException {
        return networks.create(name, labels);
    }

    @Override
    public void removeNetwork(String networkId) throws CleanroomException {
        networks.remove(networkId);
    }

    @Override
    public void joinNetwork(String networkId) throws CleanroomException {
        networks.joinExisting(networkId);
    }

    @Override
    public List<LabeledResource> findContainers(String labelKey) throws CleanroomException {
        return containers.find(labelKey);
    }

    @Override
    public List<LabeledResource> findNetworks(String labelKey) throws CleanroomException {
        return networks.find(labelKey);
    }

    @Override
    public boolean seesBindMount(Path directory, String fileName, ContainerSpec spec) throws CleanroomException {
        return containers.seesBindMount(directory, fileName, spec);
    }

    /** What {@link InContainerDetection} asks this daemon (public for tests on a real daemon). */
    public InContainerDetection.Daemon detectionView() {
        return new InContainerDetection.Daemon() {
            @Override
            public Optional<Map<String, Object>> inspect(String idOrName) throws IOException {
                return containers.inspectRaw(idOrName);
            }

            @Override
            public boolean sees(String containerId, String path) throws IOException {
                return containers.pathExists(containerId, path);
            }
        };
    }

    @Override
    public boolean answers() {
        try (DockerTransport.Exchange ping = api.open("GET", "/_ping", Map.of(), null, DockerTimeouts.PING)) {
            return ping.status() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            api.close();
        } catch (IOException e) {
            log.debug("Closing the Docker connection: " + e.getMessage());
        }
    }
}
