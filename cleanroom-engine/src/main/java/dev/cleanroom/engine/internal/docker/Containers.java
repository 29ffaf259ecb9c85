package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.internal.ContainerRuntime.LabeledResource;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.CleanroomException.Reason;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Containers: created (pulling a missing image), started, inspected, found by label, removed. */
final class Containers {

    private final DockerApi api;
    private final ServiceReach reach;
    private final EngineLog log;
    private final Images images;

    Containers(DockerApi api, ServiceReach reach, EngineLog log, Images images) {
        this.api = api;
        this.reach = reach;
        this.log = log;
        this.images = images;
    }

    ContainerInfo start(ContainerSpec spec) throws CleanroomException {
        String id = createPullingIfMissing(spec);
        try {
            api.call("POST", "/containers/" + id + "/start", null);
            Optional<ContainerInspect> inspected = spec.ports().isEmpty() && !reach.joinsRunNetwork()
                    ? Optional.empty()
                    : Optional.of(ContainerInspect.of(api.callForObject("GET", "/containers/" + id + "/json", null)));
            return reach.exported(
                    id,
                    spec.name().orElse(id),
                    spec.ports(),
                    inspected.map(i -> publishedPorts(i, spec)).orElse(Map.of()),
                    inspected.flatMap(i -> i.address(spec.networkMode())));
        } catch (IOException e) {
            removeQuietly(id);
            throw DaemonFailures.failure(startFailure(spec, e), e);
        }
    }

    private static String startFailure(ContainerSpec spec, IOException e) {
        String said = DaemonFailures.said(e);
        if (DaemonFailures.reason(e) == Reason.PORT_TAKEN) {
            return "Container for image " + spec.image() + " could not start: a host port is already in use ("
                    + said + "). Perhaps you should let Docker choose the host port: write ports = [\"8080\"] "
                    + "instead of \"8080:8080\".";
        }
        return "Container for image " + spec.image() + " could not start: " + said;
    }

    /** Host port of each published container port, in the order the spec declares them. */
    private static Map<Integer, Integer> publishedPorts(ContainerInspect inspected, ContainerSpec spec) {
        Map<Integer, Integer> ordered = new LinkedHashMap<>();
        spec.ports().forEach(p -> {
            Integer hostPort = inspected.publishedPorts().get(p.containerPort());
            if (hostPort != null) {
                ordered.put(p.containerPort(), hostPort);
            }
        });
        return ordered;
    }

    /**
     * Creates first and looks at the image only when the daemon answers "not found", as
     * {@code docker run} does: the image is nearly always there, and inspecting it first cost a
     * round trip and a large JSON read before every container.
     */
    private String createPullingIfMissing(ContainerSpec spec) throws CleanroomException {
        try {
            return create(spec);
        } catch (IOException e) {
            if (!DaemonFailures.notFound(e)) {
                throw createFailure(spec, e);
            }
        }
        // Most likely the image; if something else is missing, the second create says what.
        images.ensure(spec.image());
        try {
            return create(spec);
        } catch (IOException again) {
            throw createFailure(spec, again);
        }
    }

    /**
     * Creates, and does not start, a container named as {@code spec} says: empty when the daemon
     * answers that a container of that name exists (Docker's 409 Conflict, Podman's 500 with its
     * words). Creating a named container is atomic on the daemon, so this is a lock every build
     * sharing the daemon sees.
     */
    Optional<String> createNamed(ContainerSpec spec) throws CleanroomException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Optional.of(create(spec));
            } catch (IOException e) {
                if (DaemonFailures.nameTaken(e)) {
                    return Optional.empty();
                }
                if (attempt > 0 || !DaemonFailures.notFound(e)) {
                    throw createFailure(spec, e);
                }
                images.ensure(spec.image());
            }
        }
    }

    /**
     * A running container as a service sees it: its name, the exported host, and the host port
     * of each published container port (on the run's network, when the build joined it: its
     * address there and the container ports themselves).
     */
    ContainerInfo describe(String containerId, Optional<String> network) throws CleanroomException {
        try {
            Map<String, Object> raw = api.callForObject("GET", "/containers/" + containerId + "/json", null);
            ContainerInspect inspected = ContainerInspect.of(raw);
            String name = dev.cleanroom.engine.spi.Json.string(raw, "Name")
                    .orElse(containerId)
                    .replaceFirst("^/", "");
            Optional<String> address = inspected.address(network);
            if (reach.joinsRunNetwork() && address.isPresent()) {
                Map<Integer, Integer> same = new LinkedHashMap<>();
                inspected.publishedPorts().keySet().stream().sorted().forEach(port -> same.put(port, port));
                return new ContainerInfo(containerId, name, address.get(), same);
            }
            Map<Integer, Integer> ports = new LinkedHashMap<>();
            inspected.publishedPorts().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> ports.put(e.getKey(), e.getValue()));
            return new ContainerInfo(containerId, name, reach.exportedHost(), ports);
        } catch (IOException e) {
            throw DaemonFailures.failure(
                    "Could not inspect container " + containerId + ": " + DaemonFailures.said(e), e);
        }
    }

    /** Throws the daemon's 404 as it is: the caller decides whether to pull. */
    private String create(ContainerSpec spec) throws IOException {
        String name = spec.name().map(n -> "?name=" + DockerApi.query(n)).orElse("");
        return Listings.createdId(api.callForObject("POST", "/containers/create" + name, CreateBody.of(spec, reach)));
    }

    private static CleanroomException createFailure(ContainerSpec spec, IOException e) {
        return DaemonFailures.failure(
                "Could not create a container from image " + spec.image() + ": " + DaemonFailures.said(e), e);
    }

    void remove(String containerId, Duration stopTimeout) throws CleanroomException {
        if (!stopTimeout.isZero()) {
            try {
                // An already stopped container answers 304, which is no error.
                long seconds = Math.max(1, stopTimeout.toSeconds());
                api.call(
                        "POST",
                        "/containers/" + containerId + "/stop?t=" + seconds,
                        null,
                        DockerTimeouts.plusMargin(Duration.ofSeconds(seconds)));
            } catch (IOException e) {
                // Gone, or the daemon refused: the forced removal below settles it either way.
                log.debug("Graceful stop of " + containerId + " failed, killing it: " + DaemonFailures.said(e));
            }
        }
        try {
            // Force-remove kills at once: a PID 1 that ignores SIGTERM must not cost us 10 s.
            api.call("DELETE", "/containers/" + containerId + "?force=true&v=true", null);
        } catch (IOException e) {
            // Gone already, or another removal of it (a parallel teardown) is under way.
            boolean settled = DaemonFailures.notFound(e) || DaemonFailures.removalInProgress(e);
            if (!settled) {
                throw DaemonFailures.failure(
                        "Could not remove container " + containerId + ": " + DaemonFailures.said(e), e);
            }
        }
    }

    private void removeQuietly(String id) {
        try {
            remove(id, Duration.ZERO);
        } catch (CleanroomException e) {
            log.warn(e.getMessage());
        }
    }

    ContainerState inspect(String containerId) throws CleanroomException {
        try {
            return ContainerInspect.of(api.callForObject("GET", "/containers/" + containerId + "/json", null))
                    .state();
        } catch (IOException e) {
            if (DaemonFailures.notFound(e)) {
                return new ContainerState(false, -1, false, "removed", "the container no longer exists");
            }
            throw DaemonFailures.failure(
                    "Could not inspect container " + containerId + ": " + DaemonFailures.said(e), e);
        }
    }

    /** The inspect answer as it came, for {@code InContainerDetection}; empty when there is no such container. */
    Optional<Map<String, Object>> inspectRaw(String idOrName) throws IOException {
        try {
            return Optional.of(api.callForObject("GET", "/containers/" + DockerApi.query(idOrName) + "/json", null));
        } catch (IOException e) {
            if (DaemonFailures.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    List<LabeledResource> find(String labelKey) throws CleanroomException {
        try {
            return Listings.containers(
                    api.call("GET", "/containers/json?all=true&filters=" + DockerApi.labelFilter(labelKey), null));
        } catch (IOException e) {
            throw DaemonFailures.failure("Could not list containers: " + DaemonFailures.said(e), e);
        }
    }

    /**
     * Creates (never starts) a container of {@code spec}'s image that mounts {@code directory},
     * and asks the daemon whether {@code fileName} is in it; removes the container again.
     */
    boolean seesBindMount(Path directory, String fileName, ContainerSpec spec) throws CleanroomException {
        images.ensure(spec.image());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Image", spec.image());
        body.put("Labels", spec.labels());
        // Never run; a command is still required by images that have none.
        body.put("Entrypoint", List.of("/cleanroom-mount-check"));
        body.put("Cmd", List.of());
        body.put("HostConfig", Map.of("Binds", List.of(directory + ":/cleanroom-mount-check:ro")));
        String probe;
        try {
            probe = Listings.createdId(api.callForObject("POST", "/containers/create", body));
        } catch (IOException e) {
            throw DaemonFailures.failure(
                    "Could not create a container to check that the Docker daemon at " + api.host() + " shares "
                            + directory + ": " + DaemonFailures.said(e),
                    e);
        }
        try {
            return pathExists(probe, "/cleanroom-mount-check/" + fileName);
        } catch (IOException e) {
            throw DaemonFailures.failure(
                    "Could not check that the Docker daemon at " + api.host() + " shares " + directory + ": "
                            + DaemonFailures.said(e),
                    e);
        } finally {
            removeQuietly(probe);
        }
    }

    /** Whether {@code path} exists in the container's filesystem (created or running). */
    boolean pathExists(String containerId, String path) throws IOException {
        try (DockerTransport.Exchange archive = api.open(
                "GET", "/containers/" + containerId + "/archive?path=" + DockerApi.query(path), Map.of(), null)) {
            return archive.status() == 200;
        } catch (IOException e) {
            if (DaemonFailures.notFound(e)) {
                return false;
            }
            throw e;
        }
    }
}
