package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.internal.ContainerRuntime;
import dev.cleanroom.engine.internal.ImageInfo;
import dev.cleanroom.engine.internal.InContainerDetection;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.engine.spi.PortSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link ContainerRuntime} on a real Docker daemon, speaking its Engine API directly.
 *
 * <p>Why not docker-java's client: loading it and its JSON bindings cost every build about half a
 * second before the first container, more than the daemon needs to start one. The API calls
 * we make are few and stable (create, start, inspect, exec, logs, remove, networks, lists).
 */
public final class DockerRuntime implements ContainerRuntime {

    /**
     * Output kept per stream of an exec: its first and its last 512 KiB. More is cut in the
     * middle (and the result says so), so a chatty command cannot exhaust the heap.
     */
    static final int KEPT_HEAD_BYTES = 512 * 1024;
    static final int KEPT_TAIL_BYTES = 512 * 1024;

    /** Log output kept by {@link #logs}: its end, which is what "the last N lines" asks for. */
    static final int KEPT_LOG_BYTES = 1024 * 1024;

    /** A followed log line longer than this is matched by its beginning only. */
    static final int MAX_LINE_CHARS = 64 * 1024;

    /** A log stream outlives its limit by this much at most, in case nobody closes it. */
    private static final Duration FOLLOW_MARGIN = Duration.ofSeconds(5);

    /** After an exec's output ends, the daemon may take a moment to record its exit code. */
    private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(2);

    /** Ends the wait of timed-out steps; one daemon thread for the whole JVM. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cleanroom-exec-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final DockerApi api;
    private final ServiceReach reach;
    private final EngineLog log;
    private final RegistryAuthLocator registryAuth;

    DockerRuntime(DockerApi api, ServiceReach reach, EngineLog log) {
        this(api, reach, log, RegistryAuthLocator.current(Map.of()));
    }

    private DockerRuntime(DockerApi api, ServiceReach reach, EngineLog log, RegistryAuthLocator registryAuth) {
        this.api = api;
        this.reach = reach;
        this.log = log;
        this.registryAuth = registryAuth;
    }

    /** A runtime whose services are reached at {@code hostAddress}: on the daemon's host when it is loopback. */
    DockerRuntime(DockerApi api, String hostAddress, EngineLog log) {
        this(api, ServiceReach.isLoopback(hostAddress) ? ServiceReach.onHost(api.host())
                : ServiceReach.remote(api.host(), hostAddress), log);
    }

    /** This connection, pulling with the credentials {@code registryAuth} finds (e.g. with settings.xml servers). */
    public DockerRuntime withRegistryAuth(RegistryAuthLocator registryAuth) {
        return new DockerRuntime(api, reach, log, registryAuth);
    }

    @Override
    public String hostAddress() {
        return reach.exportedHost();
    }

    /**
     * This connection, its services reached as {@code chosen} says: for tests that play a build in
     * a container, and adapters that know better than the detection.
     */
    public DockerRuntime withReach(ServiceReach chosen) {
        return new DockerRuntime(api, chosen, log, registryAuth);
    }

    @Override
    public ServiceReach reach() {
        return reach;
    }

    @Override
    public ContainerInfo startContainer(ContainerSpec spec) throws CleanroomException {
        String id = createPullingIfMissing(spec);
        try {
            api.call("POST", "/containers/" + id + "/start", null);
            Map<String, Object> inspected = spec.ports().isEmpty() && !reach.joinsRunNetwork() ? Map.of()
                    : api.callForObject("GET", "/containers/" + id + "/json", null);
            return reach.exported(id, spec.name().orElse(id), spec.ports(), publishedPorts(inspected, spec),
                    networkAddress(inspected, spec));
        } catch (IOException e) {
            removeQuietly(id);
            throw new CleanroomException(startFailure(spec, e), e);
        }
    }

    private static String startFailure(ContainerSpec spec, IOException e) {
        String message = reason(e);
        if (message.contains("port is already allocated") || message.contains("address already in use")) {
            return "Container for image " + spec.image() + " could not start: a host port is already in use ("
                    + message + "). Perhaps you should let Docker choose the host port: write ports = [\"8080\"] "
                    + "instead of \"8080:8080\".";
        }
        return "Container for image " + spec.image() + " could not start: " + message;
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
            if (!DockerApiException.isNotFound(e)) {
                throw createFailure(spec, e);
            }
        }
        // Most likely the image; if something else is missing, the second create says what.
        ensureImage(spec.image());
        try {
            return create(spec);
        } catch (IOException again) {
            throw createFailure(spec, again);
        }
    }

    private void ensureImage(String image) throws CleanroomException {
        if (inspectImage(image).isPresent()) {
            return;
        }
        log.info("Pulling image " + image);
        pullImage(image, line -> log.info("Pulling " + image + ": " + line));
    }

    @Override
    public Optional<ImageInfo> inspectImage(String image) throws CleanroomException {
        try {
            Map<String, Object> inspected = api.callForObject("GET", "/images/" + image + "/json", null);
            List<String> digests = inspected.get("RepoDigests") instanceof List<?> list
                    ? list.stream().map(String::valueOf).toList() : List.of();
            return Optional.of(new ImageInfo(Json.string(inspected, "Id").orElse(""), digests));
        } catch (IOException e) {
            if (DockerApiException.isNotFound(e)) {
                return Optional.empty();
            }
            throw new CleanroomException("Could not inspect image " + image + ": " + reason(e), e);
        }
    }

    @Override
    public ImageInfo pullImage(String image, Consumer<String> progress) throws CleanroomException {
        RegistryAuthLocator.Lookup credentials = registryAuth.lookup(image);
        credentials.problems().forEach(problem -> log.warn("Registry credentials for " + image + ": " + problem));
        credentials.credentials().ifPresent(found -> log.info("Credentials for " + image + ": " + found.source()));
        try {
            ImagePull.pull(api, image, credentials, progress);
        } catch (RegistryAccessDeniedException e) {
            throw new CleanroomException(e.getMessage(), e);
        } catch (IOException e) {
            if (e instanceof ClosedByInterruptException) {
                Thread.currentThread().interrupt();
                throw new CleanroomException("Interrupted while pulling image " + image, e);
            }
            throw new CleanroomException("Image \"" + image + "\" is not present locally and could not be pulled ("
                    + reason(e) + "). Perhaps you should check the name and tag, or build or "
                    + "load the image first (docker images lists what this daemon has).", e);
        }
        return inspectImage(image).orElseThrow(() -> new CleanroomException("Image \"" + image + "\" was pulled but "
                + "the Docker daemon does not list it. Perhaps you should pull it by hand: docker pull " + image));
    }

    /** Throws the daemon's 404 as it is: the caller decides whether to pull. */
    private String create(ContainerSpec spec) throws IOException {
        String name = spec.name().map(n -> "?name=" + DockerApi.query(n)).orElse("");
        return idOf(api.callForObject("POST", "/containers/create" + name, createBody(spec, reach)));
    }

    /** The body of {@code POST /containers/create} for {@code spec}, for a build on the daemon's host. */
    static Map<String, Object> createBody(ContainerSpec spec) {
        return createBody(spec, ServiceReach.onHost("unix:///var/run/docker.sock"));
    }

    /**
     * The body of {@code POST /containers/create} for {@code spec}: ports published where
     * {@code reach} says, bind mounts by their paths on the daemon's host.
     */
    static Map<String, Object> createBody(ContainerSpec spec, ServiceReach reach) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Image", spec.image());
        body.put("Labels", spec.labels());
        body.put("Env", envList(spec.env()));
        spec.command().ifPresent(command -> body.put("Cmd", command));
        spec.entrypoint().ifPresent(entrypoint -> body.put("Entrypoint", entrypoint));
        spec.user().ifPresent(user -> body.put("User", user));
        spec.workdir().ifPresent(workdir -> body.put("WorkingDir", workdir));
        if (spec.openStdin()) {
            body.put("OpenStdin", true);
        }
        Map<String, Object> exposed = new LinkedHashMap<>();
        Map<String, Object> bindings = new LinkedHashMap<>();
        for (PortSpec declared : spec.ports()) {
            PortSpec port = reach.published(declared);
            String key = port.containerPort() + "/" + port.protocol();
            exposed.put(key, Map.of());
            Map<String, Object> binding = new LinkedHashMap<>();
            binding.put("HostIp", port.hostIp());
            binding.put("HostPort", port.hostPort() == 0 ? "" : Integer.toString(port.hostPort()));
            bindings.put(key, List.of(binding));
        }
        body.put("ExposedPorts", exposed);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("PortBindings", bindings);
        host.put("Binds", spec.volumes().stream()
                .map(v -> reach.daemonPath(v.hostPath()).orElse(v.hostPath()) + ":" + v.containerPath() + ":" + (v.readOnly() ? "ro" : "rw")).toList());
        host.put("Privileged", false);
        host.put("CapAdd", spec.capAdd());
        spec.networkMode().ifPresent(mode -> host.put("NetworkMode", mode));
        spec.cgroupParent().ifPresent(parent -> host.put("CgroupParent", parent));
        if (spec.shmSizeBytes() > 0) {
            host.put("ShmSize", spec.shmSizeBytes());
        }
        spec.gpus().ifPresent(gpus -> {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("Driver", "");
            if (gpus.deviceIds().isEmpty()) {
                request.put("Count", gpus.count());
            } else {
                request.put("DeviceIDs", gpus.deviceIds());
            }
            request.put("Capabilities", List.of(List.of("gpu")));
            host.put("DeviceRequests", List.of(request));
        });
        body.put("HostConfig", host);
        if (!spec.aliases().isEmpty() && spec.networkMode().isPresent()) {
            body.put("NetworkingConfig", Map.of("EndpointsConfig",
                    Map.of(spec.networkMode().get(), Map.of("Aliases", spec.aliases()))));
        }
        return body;
    }

    private static List<String> envList(Map<String, String> env) {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static String idOf(Map<String, Object> created) throws IOException {
        return Json.string(created, "Id").orElseThrow(() -> new IOException("the Docker daemon's answer has no Id: "
                + Json.write(created)));
    }

    private static CleanroomException createFailure(ContainerSpec spec, IOException e) {
        return new CleanroomException("Could not create a container from image " + spec.image() + ": " + reason(e), e);
    }

    /**
     * The container's IP on the network the spec put it on (the run's), else on its first network:
     * where a build that joined the run's network dials it.
     */
    static Optional<String> networkAddress(Map<String, Object> inspected, ContainerSpec spec) {
        Map<String, Object> networks = Json.object(Json.object(inspected, "NetworkSettings"), "Networks");
        Map<String, Object> chosen = spec.networkMode().filter(networks::containsKey).map(n -> Json.object(networks, n))
                .orElseGet(() -> networks.values().stream().filter(Map.class::isInstance)
                        .map(n -> Json.object(Map.of("n", n), "n")).findFirst().orElse(Map.of()));
        return Json.string(chosen, "IPAddress").filter(ip -> !ip.isEmpty())
                .or(() -> Json.string(chosen, "GlobalIPv6Address").filter(ip -> !ip.isEmpty()));
    }

    /** Host port of each published container port, in the order the spec declares them. */
    private static Map<Integer, Integer> publishedPorts(Map<String, Object> inspected, ContainerSpec spec) {
        if (spec.ports().isEmpty()) {
            return Map.of();
        }
        Map<Integer, Integer> bound = new HashMap<>();
        Map<String, Object> ports = Json.object(Json.object(inspected, "NetworkSettings"), "Ports");
        ports.forEach((port, hostBindings) -> Json.objectsOf(hostBindings).stream().findFirst()
                .flatMap(first -> Json.string(first, "HostPort")).filter(p -> !p.isEmpty())
                .ifPresent(hostPort -> bound.put(Integer.parseInt(port.replaceFirst("/.*", "")), Integer.parseInt(hostPort))));
        Map<Integer, Integer> ordered = new LinkedHashMap<>();
        spec.ports().forEach(p -> {
            if (bound.containsKey(p.containerPort())) {
                ordered.put(p.containerPort(), bound.get(p.containerPort()));
            }
        });
        return ordered;
    }

    @Override
    public void removeContainer(String containerId, Duration stopTimeout) throws CleanroomException {
        if (!stopTimeout.isZero()) {
            try {
                // An already stopped container answers 304, which is no error.
                long seconds = Math.max(1, stopTimeout.toSeconds());
                api.call("POST", "/containers/" + containerId + "/stop?t=" + seconds, null,
                        DockerTimeouts.plusMargin(Duration.ofSeconds(seconds)));
            } catch (IOException e) {
                // Gone, or the daemon refused: the forced removal below settles it either way.
                log.debug("Graceful stop of " + containerId + " failed, killing it: " + e.getMessage());
            }
        }
        try {
            // Force-remove kills at once: a PID 1 that ignores SIGTERM must not cost us 10 s.
            api.call("DELETE", "/containers/" + containerId + "?force=true&v=true", null);
        } catch (IOException e) {
            // Gone already, or another removal of it (a parallel teardown) is under way.
            boolean settled = DockerApiException.isNotFound(e)
                    || e instanceof DockerApiException && e.getMessage().contains("is already in progress");
            if (!settled) {
                throw new CleanroomException("Could not remove container " + containerId + ": " + reason(e), e);
            }
        }
    }

    private void removeQuietly(String id) {
        try {
            removeContainer(id, Duration.ZERO);
        } catch (CleanroomException e) {
            log.warn(e.getMessage());
        }
    }

    @Override
    public boolean isRunning(String containerId) throws CleanroomException {
        return inspect(containerId).running();
    }

    @Override
    public ContainerState inspect(String containerId) throws CleanroomException {
        try {
            Map<String, Object> state = Json.object(api.callForObject("GET", "/containers/" + containerId + "/json", null),
                    "State");
            return new ContainerState(Json.isTrue(state, "Running"), Json.number(state, "ExitCode").orElse(0L).intValue(),
                    Json.isTrue(state, "OOMKilled"), Json.string(state, "Status").orElse(""),
                    Json.string(state, "Error").orElse(""));
        } catch (IOException e) {
            if (DockerApiException.isNotFound(e)) {
                return new ContainerState(false, -1, false, "removed", "the container no longer exists");
            }
            throw new CleanroomException("Could not inspect container " + containerId + ": " + reason(e), e);
        }
    }

    @Override
    public ExecResult exec(String containerId, ExecRequest request) throws CleanroomException {
        long started = System.nanoTime();
        String execId;
        try {
            execId = idOf(api.callForObject("POST", "/containers/" + containerId + "/exec", execBody(request)));
        } catch (IOException e) {
            throw new CleanroomException("Could not run " + request.argv() + " in container " + containerId + ": "
                    + reason(e), e);
        }
        ExecOutput output = new ExecOutput();
        AtomicBoolean timedOut = new AtomicBoolean();
        // The step's own deadline ends the wait; the bound only catches a daemon that stops answering.
        Duration idleTimeout = request.timeout().map(DockerTimeouts::plusMargin).orElse(DockerTimeouts.NONE);
        try (DockerTransport.Exchange stream = api.open("POST", "/exec/" + execId + "/start", Map.of(),
                Map.of("Detach", false, "Tty", false), idleTimeout)) {
            ScheduledFuture<?> deadline = request.timeout().map(timeout -> DEADLINES.schedule(() -> {
                timedOut.set(true);
                closeQuietly(stream);
            }, timeout.toMillis(), TimeUnit.MILLISECONDS)).orElse(null);
            try {
                StreamFrames.copy(stream.body(), output);
            } catch (IOException e) {
                if (!timedOut.get()) {
                    throw e;
                }
            } finally {
                if (deadline != null) {
                    deadline.cancel(false);
                }
            }
            if (timedOut.get()) {
                killExec(containerId, execId);
                return output.result(-1, Duration.ofNanos(System.nanoTime() - started), true);
            }
            return output.result(exitCode(execId), Duration.ofNanos(System.nanoTime() - started), false);
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            killExec(containerId, execId);
            throw new CleanroomException("Interrupted while running " + request.argv(), e);
        } catch (IOException e) {
            throw new CleanroomException("Running " + request.argv() + " in container " + containerId + " failed: "
                    + reason(e), e);
        }
    }

    private static Map<String, Object> execBody(ExecRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("AttachStdout", true);
        body.put("AttachStderr", true);
        body.put("Cmd", request.argv());
        if (!request.env().isEmpty()) {
            body.put("Env", envList(request.env()));
        }
        request.workdir().ifPresent(workdir -> body.put("WorkingDir", workdir));
        return body;
    }

    private int exitCode(String execId) throws IOException {
        long deadline = System.nanoTime() + EXIT_CODE_WAIT.toNanos();
        while (true) {
            Map<String, Object> exec = api.callForObject("GET", "/exec/" + execId + "/json", null);
            Optional<Long> exitCode = Json.number(exec, "ExitCode");
            if (!Json.isTrue(exec, "Running") && exitCode.isPresent()) {
                return exitCode.get().intValue();
            }
            if (System.nanoTime() > deadline) {
                return -1;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /**
     * Docker has no "kill exec" call. The exec's process is a process on the daemon's host; when
     * that is this host we learn its pid inside the container from /proc and kill it there with
     * the container's own {@code kill}, and failing that, from here. Only there: with a daemon on
     * another host, or this build in a container (another pid namespace), the daemon's pid names
     * some unrelated process here, which must never be signalled.
     */
    private void killExec(String containerId, String execId) {
        try {
            long hostPid = Json.number(api.callForObject("GET", "/exec/" + execId + "/json", null), "Pid").orElse(0L);
            if (hostPid <= 0 || !reach.sharesProcessesWithDaemon()) {
                return;
            }
            Optional<String> pidInContainer = namespacePid(hostPid);
            if (pidInContainer.isPresent()) {
                exec(containerId, ExecRequest.of(List.of("kill", "-KILL", pidInContainer.get()), Duration.ofSeconds(5)));
            }
            if (execRunning(execId) && pidInContainer.isPresent()) {
                ProcessHandle.of(hostPid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (execRunning(execId)) {
                log.warn("A timed-out command is still running in container " + containerId
                        + "; it ends when the container is removed.");
            }
        } catch (IOException | CleanroomException | RuntimeException e) {
            log.debug("Could not kill timed-out exec " + execId + ": " + e.getMessage());
        }
    }

    private boolean execRunning(String execId) throws IOException {
        return Json.isTrue(api.callForObject("GET", "/exec/" + execId + "/json", null), "Running");
    }

    /**
     * The pid of a container's process in the container's own pid namespace, read from this
     * host's /proc. Empty for a process that is in no nested namespace: that is no container's
     * process, and nothing may signal it.
     */
    private static Optional<String> namespacePid(long hostPid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(hostPid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] pids = line.substring(6).trim().split("\\s+");
                    return pids.length > 1 ? Optional.of(pids[pids.length - 1]) : Optional.empty();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not on the daemon's host, or the process is gone: nothing to translate.
        }
        return Optional.empty();
    }

    @Override
    public String logs(String containerId, int lines) throws CleanroomException {
        CappedOutput output = new CappedOutput(0, KEPT_LOG_BYTES);
        try (DockerTransport.Exchange stream = api.open("GET", "/containers/" + containerId
                + "/logs?stdout=true&stderr=true&tail=" + lines, Map.of(), null)) {
            StreamFrames.copy(stream.body(), (kind, payload, length) -> output.write(payload, length));
            return output.lastLines();
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            return output.lastLines();
        } catch (IOException e) {
            if (DockerApiException.isNotFound(e)) {
                return "";
            }
            throw new CleanroomException("Could not read the logs of container " + containerId + ": " + reason(e), e);
        }
    }

    /**
     * Follows the container's output from its start on a thread of its own. The stream ends when
     * the container stops, when the returned handle is closed, or at the latest {@link #FOLLOW_MARGIN}
     * after {@code limit}: nothing waits on it forever.
     */
    @Override
    public AutoCloseable followLogs(String containerId, Duration limit, Consumer<String> onLine)
            throws CleanroomException {
        DockerTransport.Exchange stream;
        try {
            // A quiet service may log nothing for its whole start timeout: the stream is bounded by
            // that (and the deadline below), not by the 30 s an ordinary call may stay silent.
            stream = api.open("GET", "/containers/" + containerId + "/logs?follow=true&stdout=true&stderr=true",
                    Map.of(), null, DockerTimeouts.plusMargin(limit));
        } catch (IOException e) {
            throw new CleanroomException("Could not follow the logs of container " + containerId + ": " + reason(e), e);
        }
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> closeQuietly(stream),
                limit.plus(FOLLOW_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        AutoCloseable handle = () -> {
            deadline.cancel(false);
            closeQuietly(stream);
        };
        Thread reader = new Thread(() -> {
            LineSplitter stdout = new LineSplitter(onLine);
            LineSplitter stderr = new LineSplitter(onLine);
            try {
                StreamFrames.copy(stream.body(), (kind, payload, length) ->
                        (kind == StreamFrames.STDERR ? stderr : stdout).accept(payload, length));
                stdout.flush();
                stderr.flush();
            } catch (IOException | RuntimeException e) {
                // Closed by the caller or the deadline, or the daemon went away: the watch just sees no more lines.
                log.debug("Following the logs of " + containerId + " ended: " + e.getMessage());
            } finally {
                deadline.cancel(false);
                closeQuietly(stream);
            }
        }, "cleanroom-logs-" + containerId.substring(0, Math.min(12, containerId.length())));
        reader.setDaemon(true);
        reader.start();
        return handle;
    }

    @Override
    public String createNetwork(String name, Map<String, String> labels) throws CleanroomException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", name);
        body.put("Driver", "bridge");
        body.put("CheckDuplicate", true);
        body.put("Labels", labels);
        String id;
        try {
            id = idOf(api.callForObject("POST", "/networks/create", body));
        } catch (IOException e) {
            throw new CleanroomException("Could not create network " + name + ": " + reason(e), e);
        }
        if (reach.joinsRunNetwork()) {
            joinNetwork(id, name);
        }
        return id;
    }

    /** The build's own container joins the run's network, to reach the services at their IPs there. */
    private void joinNetwork(String networkId, String name) throws CleanroomException {
        String self = reach.containerId().orElseThrow();
        try {
            api.call("POST", "/networks/" + networkId + "/connect", Map.of("Container", self));
            log.debug("This build's container " + self + " joined network " + name);
        } catch (IOException e) {
            try {
                removeNetwork(networkId);
            } catch (CleanroomException removal) {
                e.addSuppressed(removal);
            }
            throw new CleanroomException("Could not connect this build's container " + self + " to network " + name
                    + " (" + reason(e) + "), so it could not reach the services there. Perhaps you should set -D"
                    + ServiceReach.OVERRIDE_PROPERTY + "= (or " + ServiceReach.OVERRIDE_ENV + ") to an address of the "
                    + "Docker host this container reaches published ports on, e.g. its bridge gateway 172.17.0.1", e);
        }
    }

    /**
     * Disconnects containers that are not the run's (a build's container that joined it: this
     * one, or a dead build's that still runs) so the network can be removed.
     */
    private void leaveNetwork(String networkId) {
        reach.containerId().ifPresent(self -> disconnect(networkId, self));
    }

    private void disconnectJoinedBuilds(String networkId) {
        try {
            Map<String, Object> attached = Json.object(api.callForObject("GET", "/networks/" + networkId, null),
                    "Containers");
            attached.forEach((id, endpoint) -> {
                String name = Json.string(Json.object(Map.of("e", endpoint), "e"), "Name").orElse("");
                if (!name.startsWith("clnrm-")) {
                    disconnect(networkId, id);
                }
            });
        } catch (IOException e) {
            log.debug("Could not list what is attached to network " + networkId + ": " + reason(e));
        }
    }

    private void disconnect(String networkId, String containerId) {
        try {
            api.call("POST", "/networks/" + networkId + "/disconnect", Map.of("Container", containerId, "Force", true));
        } catch (IOException e) {
            // Not connected (any more), or the network is gone: either way it no longer holds the network.
            log.debug("Disconnecting " + containerId + " from network " + networkId + ": " + reason(e));
        }
    }

    /**
     * Creates (never starts) a container of {@code spec}'s image that mounts {@code directory},
     * and asks the daemon whether {@code fileName} is in it; removes the container again.
     */
    @Override
    public boolean seesBindMount(Path directory, String fileName, ContainerSpec spec) throws CleanroomException {
        ensureImage(spec.image());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Image", spec.image());
        body.put("Labels", spec.labels());
        // Never run; a command is still required by images that have none.
        body.put("Entrypoint", List.of("/cleanroom-mount-check"));
        body.put("Cmd", List.of());
        body.put("HostConfig", Map.of("Binds", List.of(directory + ":/cleanroom-mount-check:ro")));
        String probe;
        try {
            probe = idOf(api.callForObject("POST", "/containers/create", body));
        } catch (IOException e) {
            throw new CleanroomException("Could not create a container to check that the Docker daemon at " + api.host()
                    + " shares " + directory + ": " + reason(e), e);
        }
        try {
            return pathExists(probe, "/cleanroom-mount-check/" + fileName);
        } catch (IOException e) {
            throw new CleanroomException("Could not check that the Docker daemon at " + api.host() + " shares "
                    + directory + ": " + reason(e), e);
        } finally {
            removeQuietly(probe);
        }
    }

    /** Whether {@code path} exists in the container's filesystem (created or running). */
    boolean pathExists(String containerId, String path) throws IOException {
        try (DockerTransport.Exchange archive = api.open("GET", "/containers/" + containerId + "/archive?path="
                + DockerApi.query(path), Map.of(), null)) {
            return archive.status() == 200;
        } catch (IOException e) {
            if (DockerApiException.isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    /** What {@link InContainerDetection} asks this daemon (public for tests on a real daemon). */
    public InContainerDetection.Daemon detectionView() {
        return new InContainerDetection.Daemon() {
            @Override
            public Optional<Map<String, Object>> inspect(String idOrName) throws IOException {
                try {
                    return Optional.of(api.callForObject("GET", "/containers/" + DockerApi.query(idOrName) + "/json", null));
                } catch (IOException e) {
                    if (DockerApiException.isNotFound(e)) {
                        return Optional.empty();
                    }
                    throw e;
                }
            }

            @Override
            public boolean sees(String containerId, String path) throws IOException {
                return pathExists(containerId, path);
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
    public void removeNetwork(String networkId) throws CleanroomException {
        if (reach.joinsRunNetwork()) {
            leaveNetwork(networkId);
        }
        try {
            deleteNetwork(networkId);
        } catch (IOException e) {
            if (!e.getMessage().contains("active endpoints")) {
                throw new CleanroomException("Could not remove network " + networkId + ": " + reason(e), e);
            }
            // A build's container that joined it (a dead build's, found by a sweep) still holds it.
            disconnectJoinedBuilds(networkId);
            try {
                deleteNetwork(networkId);
            } catch (IOException again) {
                throw new CleanroomException("Could not remove network " + networkId + ": " + reason(again), again);
            }
        }
    }

    private void deleteNetwork(String networkId) throws IOException {
        try {
            api.call("DELETE", "/networks/" + networkId, null);
        } catch (IOException e) {
            if (!DockerApiException.isNotFound(e)) {
                throw e;
            }
        }
    }

    @Override
    public List<LabeledResource> findContainers(String labelKey) throws CleanroomException {
        try {
            List<LabeledResource> found = new ArrayList<>();
            for (Map<String, Object> container : Json.objectsOf(api.call("GET", "/containers/json?all=true&filters="
                    + DockerApi.labelFilter(labelKey), null))) {
                String id = Json.string(container, "Id").orElse("");
                String name = container.get("Names") instanceof List<?> names && !names.isEmpty()
                        ? String.valueOf(names.get(0)).replaceFirst("^/", "") : id;
                found.add(new LabeledResource(id, name, labels(container)));
            }
            return found;
        } catch (IOException e) {
            throw new CleanroomException("Could not list containers: " + reason(e), e);
        }
    }

    @Override
    public List<LabeledResource> findNetworks(String labelKey) throws CleanroomException {
        try {
            List<LabeledResource> found = new ArrayList<>();
            for (Map<String, Object> network : Json.objectsOf(api.call("GET", "/networks?filters="
                    + DockerApi.labelFilter(labelKey), null))) {
                found.add(new LabeledResource(Json.string(network, "Id").orElse(""), Json.string(network, "Name").orElse(""),
                        labels(network)));
            }
            return found;
        } catch (IOException e) {
            throw new CleanroomException("Could not list networks: " + reason(e), e);
        }
    }

    private static Map<String, String> labels(Map<String, Object> resource) {
        Map<String, String> labels = new LinkedHashMap<>();
        Json.object(resource, "Labels").forEach((key, value) -> labels.put(key, String.valueOf(value)));
        return labels;
    }

    @Override
    public void close() {
        try {
            api.close();
        } catch (IOException e) {
            log.debug("Closing the Docker connection: " + e.getMessage());
        }
    }

    /** The daemon's words for an error status, else the I/O failure's. */
    static String reason(IOException e) {
        return e instanceof DockerApiException ? e.getMessage() : DockerConnector.rootMessage(e);
    }

    private static void closeQuietly(DockerTransport.Exchange exchange) {
        try {
            exchange.close();
        } catch (IOException ignored) {
            // Closing is how a timed-out read is ended; nothing else to do.
        }
    }

    /** Collects stdout and stderr of an exec apart, each as a bounded head and tail. */
    private static final class ExecOutput implements StreamFrames.Sink {
        private final CappedOutput stdout = new CappedOutput(KEPT_HEAD_BYTES, KEPT_TAIL_BYTES);
        private final CappedOutput stderr = new CappedOutput(KEPT_HEAD_BYTES, KEPT_TAIL_BYTES);

        @Override
        public void accept(int stream, byte[] payload, int length) {
            (stream == StreamFrames.STDERR ? stderr : stdout).write(payload, length);
        }

        ExecResult result(int exitCode, Duration duration, boolean timedOut) {
            CappedOutput.Captured out = stdout.captured("stdout");
            CappedOutput.Captured err = stderr.captured("stderr");
            return new ExecResult(exitCode, out.text(), err.text(), duration, timedOut, out.cut(), err.cut());
        }
    }

    /** Cuts one stream of a followed log into lines; a very long line is passed on by its beginning. */
    private static final class LineSplitter {
        private final Consumer<String> onLine;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean overlong;

        LineSplitter(Consumer<String> onLine) {
            this.onLine = onLine;
        }

        void accept(byte[] payload, int length) {
            for (int i = 0; i < length; i++) {
                if (payload[i] == '\n') {
                    flush();
                } else if (line.size() < MAX_LINE_CHARS) {
                    line.write(payload[i]);
                } else {
                    overlong = true;
                }
            }
        }

        void flush() {
            if (line.size() > 0 || overlong) {
                String text = line.toString(StandardCharsets.UTF_8);
                onLine.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
            }
            line.reset();
            overlong = false;
        }
    }
}
