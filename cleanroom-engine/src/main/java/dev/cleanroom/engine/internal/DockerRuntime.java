package dev.cleanroom.engine.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import dev.cleanroom.engine.api.CleanroomException;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.VolumeMount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/** {@link ContainerRuntime} on a real Docker daemon, through docker-java. */
public final class DockerRuntime implements ContainerRuntime {

    /** Output kept per stream of an exec; more is cut, so a chatty command cannot exhaust the heap. */
    static final int MAX_CAPTURED_BYTES = 1024 * 1024;

    private final DockerClient client;
    private final String hostAddress;
    private final EngineLog log;

    DockerRuntime(DockerClient client, String hostAddress, EngineLog log) {
        this.client = client;
        this.hostAddress = hostAddress;
        this.log = log;
    }

    @Override
    public String hostAddress() {
        return hostAddress;
    }

    @Override
    public ContainerInfo startContainer(ContainerSpec spec) throws CleanroomException {
        String id = createPullingIfMissing(spec);
        try {
            client.startContainerCmd(id).exec();
            return new ContainerInfo(id, spec.name().orElse(id), hostAddress, publishedPorts(id, spec));
        } catch (RuntimeException e) {
            removeQuietly(id);
            throw new CleanroomException(startFailure(spec, e), e);
        }
    }

    private String startFailure(ContainerSpec spec, RuntimeException e) {
        String message = DockerConnector.rootMessage(e);
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
        } catch (NotFoundException e) {
            // Most likely the image; if something else is missing, the second create says what.
            ensureImage(spec.image());
            try {
                return create(spec);
            } catch (NotFoundException again) {
                throw createFailure(spec, again);
            }
        }
    }

    private void ensureImage(String image) throws CleanroomException {
        try {
            client.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException e) {
            log.info("Pulling image " + image);
        } catch (RuntimeException e) {
            throw new CleanroomException("Could not inspect image " + image + ": " + DockerConnector.rootMessage(e), e);
        }
        try {
            client.pullImageCmd(image).start().awaitCompletion(30, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            throw new CleanroomException("Image \"" + image + "\" is not present locally and could not be pulled ("
                    + DockerConnector.rootMessage(e) + "). Perhaps you should check the name and tag, or build or "
                    + "load the image first (docker images lists what this daemon has).", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CleanroomException("Interrupted while pulling image " + image, e);
        }
    }

    /** Throws docker-java's NotFoundException as it is: the caller decides whether to pull. */
    private String create(ContainerSpec spec) throws CleanroomException {
        Ports bindings = new Ports();
        List<ExposedPort> exposed = new ArrayList<>();
        for (PortSpec port : spec.ports()) {
            ExposedPort exposedPort = new ExposedPort(port.containerPort(), InternetProtocol.parse(port.protocol()));
            exposed.add(exposedPort);
            bindings.bind(exposedPort, port.hostPort() == 0 ? Ports.Binding.bindIp(port.hostIp())
                    : Ports.Binding.bindIpAndPort(port.hostIp(), port.hostPort()));
        }
        List<Bind> binds = new ArrayList<>();
        for (VolumeMount volume : spec.volumes()) {
            binds.add(new Bind(volume.hostPath().toString(), new Volume(volume.containerPath()),
                    volume.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        HostConfig host = HostConfig.newHostConfig()
                .withPortBindings(bindings)
                .withBinds(binds)
                .withPrivileged(false)
                .withCapAdd(spec.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new));
        spec.networkMode().ifPresent(host::withNetworkMode);
        spec.cgroupParent().ifPresent(host::withCgroupParent);
        if (spec.shmSizeBytes() > 0) {
            host.withShmSize(spec.shmSizeBytes());
        }
        spec.gpus().ifPresent(gpus -> host.withDeviceRequests(List.of(new DeviceRequest()
                .withCapabilities(List.of(List.of("gpu")))
                .withCount(gpus.deviceIds().isEmpty() ? gpus.count() : null)
                .withDeviceIds(gpus.deviceIds().isEmpty() ? null : gpus.deviceIds()))));
        CreateContainerCmd cmd = client.createContainerCmd(spec.image())
                .withLabels(spec.labels())
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withExposedPorts(exposed)
                .withHostConfig(host);
        spec.name().ifPresent(cmd::withName);
        spec.command().ifPresent(cmd::withCmd);
        spec.entrypoint().ifPresent(cmd::withEntrypoint);
        spec.user().ifPresent(cmd::withUser);
        spec.workdir().ifPresent(cmd::withWorkingDir);
        if (!spec.aliases().isEmpty() && spec.networkMode().isPresent()) {
            cmd.withAliases(spec.aliases());
        }
        try {
            return cmd.exec().getId();
        } catch (NotFoundException e) {
            throw e;
        } catch (RuntimeException e) {
            throw createFailure(spec, e);
        }
    }

    private static CleanroomException createFailure(ContainerSpec spec, RuntimeException e) {
        return new CleanroomException("Could not create a container from image " + spec.image() + ": "
                + DockerConnector.rootMessage(e), e);
    }

    /** Host port of each published container port, in the order the spec declares them. */
    private Map<Integer, Integer> publishedPorts(String id, ContainerSpec spec) {
        Map<Integer, Integer> bound = new HashMap<>();
        InspectContainerResponse inspection = client.inspectContainerCmd(id).exec();
        if (inspection.getNetworkSettings() != null && inspection.getNetworkSettings().getPorts() != null) {
            inspection.getNetworkSettings().getPorts().getBindings().forEach((exposed, hostBindings) -> {
                if (hostBindings != null && hostBindings.length > 0 && hostBindings[0].getHostPortSpec() != null) {
                    bound.put(exposed.getPort(), Integer.parseInt(hostBindings[0].getHostPortSpec()));
                }
            });
        }
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
        try {
            if (!stopTimeout.isZero()) {
                client.stopContainerCmd(containerId).withTimeout((int) Math.max(1, stopTimeout.toSeconds())).exec();
            }
        } catch (NotFoundException | NotModifiedException e) {
            // Already stopped or gone: removal below settles it.
        } catch (RuntimeException e) {
            log.debug("Graceful stop of " + containerId + " failed, killing it: " + e.getMessage());
        }
        try {
            // Force-remove kills at once: a PID 1 that ignores SIGTERM must not cost us 10 s.
            client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already removed; removal is idempotent.
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("is already in progress")) {
                throw new CleanroomException("Could not remove container " + containerId + ": "
                        + DockerConnector.rootMessage(e), e);
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
            InspectContainerResponse.ContainerState state = client.inspectContainerCmd(containerId).exec().getState();
            Long exitCode = state.getExitCodeLong();
            return new ContainerState(Boolean.TRUE.equals(state.getRunning()), exitCode == null ? 0 : exitCode.intValue(),
                    Boolean.TRUE.equals(state.getOOMKilled()), state.getStatus(), state.getError());
        } catch (NotFoundException e) {
            return new ContainerState(false, -1, false, "removed", "the container no longer exists");
        } catch (RuntimeException e) {
            throw new CleanroomException("Could not inspect container " + containerId + ": "
                    + DockerConnector.rootMessage(e), e);
        }
    }

    @Override
    public ExecResult exec(String containerId, ExecRequest request) throws CleanroomException {
        long started = System.nanoTime();
        ExecCreateCmd create = client.execCreateCmd(containerId)
                .withCmd(request.argv().toArray(String[]::new))
                .withAttachStdout(true)
                .withAttachStderr(true);
        if (!request.env().isEmpty()) {
            create.withEnv(request.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
        request.workdir().ifPresent(create::withWorkingDir);
        String execId;
        try {
            execId = create.exec().getId();
        } catch (RuntimeException e) {
            throw new CleanroomException("Could not run " + request.argv() + " in container " + containerId + ": "
                    + DockerConnector.rootMessage(e), e);
        }
        OutputCollector output = new OutputCollector();
        try {
            client.execStartCmd(execId).exec(output);
            boolean finished = request.timeout().isEmpty()
                    ? output.awaitCompletion(365, TimeUnit.DAYS)
                    : output.awaitCompletion(request.timeout().get().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killExec(containerId, execId);
                closeQuietly(output);
                return new ExecResult(-1, output.stdout(), output.stderr(), Duration.ofNanos(System.nanoTime() - started),
                        true);
            }
            InspectExecResponse result = client.inspectExecCmd(execId).exec();
            Long exit = result.getExitCodeLong();
            return new ExecResult(exit == null ? -1 : exit.intValue(), output.stdout(), output.stderr(),
                    Duration.ofNanos(System.nanoTime() - started), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killExec(containerId, execId);
            throw new CleanroomException("Interrupted while running " + request.argv(), e);
        } catch (DockerException e) {
            throw new CleanroomException("Running " + request.argv() + " in container " + containerId + " failed: "
                    + DockerConnector.rootMessage(e), e);
        }
    }

    /**
     * Docker has no "kill exec" call. The exec's process is a process on the daemon's host; when
     * that is this host we learn its pid inside the container from /proc and kill it there with
     * the container's own {@code kill}, and failing that, from here.
     */
    private void killExec(String containerId, String execId) {
        try {
            Long hostPid = client.inspectExecCmd(execId).exec().getPidLong();
            if (hostPid == null || hostPid <= 0) {
                return;
            }
            Optional<String> pidInContainer = namespacePid(hostPid);
            if (pidInContainer.isPresent()) {
                String killId = client.execCreateCmd(containerId).withCmd("kill", "-KILL", pidInContainer.get()).exec().getId();
                client.execStartCmd(killId).start().awaitCompletion(5, TimeUnit.SECONDS);
            }
            if (Boolean.TRUE.equals(client.inspectExecCmd(execId).exec().isRunning())) {
                ProcessHandle.of(hostPid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (Boolean.TRUE.equals(client.inspectExecCmd(execId).exec().isRunning())) {
                log.warn("A timed-out command is still running in container " + containerId
                        + "; it ends when the container is removed.");
            }
        } catch (RuntimeException | InterruptedException e) {
            log.debug("Could not kill timed-out exec " + execId + ": " + e.getMessage());
        }
    }

    private static Optional<String> namespacePid(long hostPid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(hostPid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] pids = line.substring(6).trim().split("\\s+");
                    return Optional.of(pids[pids.length - 1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not on the daemon's host, or the process is gone: nothing to translate.
        }
        return Optional.empty();
    }

    @Override
    public String logs(String containerId, int lines) throws CleanroomException {
        OutputCollector output = new OutputCollector();
        try {
            client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines).exec(output)
                    .awaitCompletion(10, TimeUnit.SECONDS);
            return output.interleaved();
        } catch (NotFoundException e) {
            return "";
        } catch (RuntimeException e) {
            throw new CleanroomException("Could not read the logs of container " + containerId + ": "
                    + DockerConnector.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return output.interleaved();
        }
    }

    @Override
    public String createNetwork(String name, Map<String, String> labels) throws CleanroomException {
        try {
            return client.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels)
                    .withCheckDuplicate(true).exec().getId();
        } catch (RuntimeException e) {
            throw new CleanroomException("Could not create network " + name + ": " + DockerConnector.rootMessage(e), e);
        }
    }

    @Override
    public boolean answers() {
        try {
            client.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void removeNetwork(String networkId) throws CleanroomException {
        try {
            client.removeNetworkCmd(networkId).exec();
        } catch (NotFoundException e) {
            // Already gone.
        } catch (RuntimeException e) {
            throw new CleanroomException("Could not remove network " + networkId + ": " + DockerConnector.rootMessage(e), e);
        }
    }

    @Override
    public List<LabeledResource> findContainers(String labelKey) throws CleanroomException {
        try {
            return client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(labelKey)).exec().stream()
                    .map(c -> new LabeledResource(c.getId(), c.getNames() == null || c.getNames().length == 0 ? c.getId()
                            : c.getNames()[0].replaceFirst("^/", ""), c.getLabels() == null ? Map.of() : c.getLabels()))
                    .toList();
        } catch (RuntimeException e) {
            throw new CleanroomException("Could not list containers: " + DockerConnector.rootMessage(e), e);
        }
    }

    @Override
    public List<LabeledResource> findNetworks(String labelKey) throws CleanroomException {
        try {
            return client.listNetworksCmd().withFilter("label", List.of(labelKey)).exec().stream()
                    .map(n -> new LabeledResource(n.getId(), n.getName(), n.getLabels() == null ? Map.of() : n.getLabels()))
                    .toList();
        } catch (RuntimeException e) {
            throw new CleanroomException("Could not list networks: " + DockerConnector.rootMessage(e), e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            log.debug("Closing the Docker client: " + e.getMessage());
        }
    }

    private static void closeQuietly(OutputCollector output) {
        try {
            output.close();
        } catch (IOException ignored) {
            // The stream of a killed command; nothing left to read.
        }
    }

    /** Collects an attached stream's frames, keeping stdout and stderr apart and bounded. */
    private static final class OutputCollector extends ResultCallback.Adapter<Frame> {
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private final ByteArrayOutputStream both = new ByteArrayOutputStream();

        @Override
        public synchronized void onNext(Frame frame) {
            ByteArrayOutputStream target = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
            append(target, frame.getPayload());
            append(both, frame.getPayload());
        }

        private static void append(ByteArrayOutputStream target, byte[] payload) {
            int room = MAX_CAPTURED_BYTES - target.size();
            if (room > 0) {
                target.write(payload, 0, Math.min(room, payload.length));
            }
        }

        synchronized String stdout() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        synchronized String stderr() {
            return stderr.toString(StandardCharsets.UTF_8);
        }

        synchronized String interleaved() {
            return both.toString(StandardCharsets.UTF_8);
        }
    }
}
