package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.testing.RecordingLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container backend for unit tests that records every spec it is asked to start and stop and,
 * when told to, refuses GPU requests the way the Docker client reports Docker's refusal (reason
 * {@code GPU_REFUSED}, HTTP 500). It is also the context of one service, {@code app}, whose
 * containers it holds.
 */
public final class RefusingBackend implements ContainerBackend, ServiceContext {

    /** What Docker 20.10 without the NVIDIA runtime answers (measured on this project's machines). */
    public static final String NO_DRIVER = "Container for image %s could not start: could not select device driver "
            + "\"\" with capabilities: [[gpu]]";

    private RecordingLog log = new RecordingLog();
    private int publishedPort = 32768;
    private final List<ContainerSpec> attempts = new ArrayList<>();
    private final List<ContainerSpec> started = new ArrayList<>();
    private final List<String> stopped = new ArrayList<>();
    private String gpuRefusal;
    private String otherFailure;

    /** Container ports are published from {@code hostPort} on, e.g. where a test's own server listens. */
    public RefusingBackend publishingFrom(int hostPort) {
        this.publishedPort = hostPort;
        return this;
    }

    /** Drops the lines logged so far, e.g. the start's, for a test about what comes after. */
    public void forgetLog() {
        log = new RecordingLog();
    }

    /** GPU requests fail with Docker's "could not select device driver". */
    public RefusingBackend refuseGpus() {
        return refuseGpus(NO_DRIVER);
    }

    /** GPU requests fail with {@code message} (a %s becomes the image). */
    public RefusingBackend refuseGpus(String message) {
        this.gpuRefusal = message;
        return this;
    }

    /** Every start fails with a message that is not about GPUs. */
    public RefusingBackend failEveryStart(String message) {
        this.otherFailure = message;
        return this;
    }

    @Override
    public ContainerInfo startContainer(ContainerSpec spec) throws CleanroomException {
        attempts.add(spec);
        if (otherFailure != null) {
            throw new CleanroomException(otherFailure);
        }
        if (gpuRefusal != null && spec.gpus().isPresent()) {
            throw CleanroomException.refused(
                    CleanroomException.Reason.GPU_REFUSED, 500, String.format(gpuRefusal, spec.image()), null);
        }
        started.add(spec);
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        int hostPort = publishedPort;
        for (PortSpec port : spec.ports()) {
            ports.put(port.containerPort(), hostPort++);
        }
        return new ContainerInfo("c" + started.size(), "container-" + started.size(), "127.0.0.1", ports);
    }

    public List<ContainerSpec> attempts() {
        return List.copyOf(attempts);
    }

    public List<ContainerSpec> started() {
        return List.copyOf(started);
    }

    public List<String> logLines() {
        return log.lines();
    }

    @Override
    public EngineLog log() {
        return log;
    }

    public List<String> stopped() {
        return List.copyOf(stopped);
    }

    @Override
    public void stopContainer(String containerId) {
        stopped.add(containerId);
    }

    @Override
    public String serviceName() {
        return "app";
    }

    @Override
    public ContainerBackend containers() {
        return this;
    }

    @Override
    public Optional<ServiceHandle> service(String name) {
        return Optional.empty();
    }

    @Override
    public Set<String> serviceNames() {
        return Set.of("app");
    }

    @Override
    public boolean isRunning(String containerId) {
        return true;
    }

    @Override
    public ContainerState inspect(String containerId) {
        return new ContainerState(true, 0, false, "running", "");
    }

    @Override
    public ExecResult exec(String containerId, ExecRequest request) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public String logs(String containerId, int lines) {
        return "";
    }

    @Override
    public String hostAddress() {
        return "127.0.0.1";
    }
}
