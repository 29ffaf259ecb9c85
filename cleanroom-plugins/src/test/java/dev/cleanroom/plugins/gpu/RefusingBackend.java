package dev.cleanroom.plugins.gpu;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.testing.RecordingLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container backend for unit tests that records every spec it is asked to start and, when told
 * to, refuses GPU requests the way Docker does on a host without a usable GPU.
 */
public final class RefusingBackend implements ContainerBackend {

    /** What Docker 20.10 without the NVIDIA runtime answers (measured on this project's machines). */
    public static final String NO_DRIVER = "Container for image %s could not start: could not select device driver "
            + "\"\" with capabilities: [[gpu]]";

    private final RecordingLog log = new RecordingLog();
    private final List<ContainerSpec> attempts = new ArrayList<>();
    private final List<ContainerSpec> started = new ArrayList<>();
    private String gpuRefusal;
    private String otherFailure;

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
            // As the Docker client reports it: the daemon's words, and the reason it reads from them.
            throw new CleanroomException(CleanroomException.Reason.GPU_REFUSED, String.format(gpuRefusal, spec.image()));
        }
        started.add(spec);
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        int hostPort = 32768;
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

    @Override
    public void stopContainer(String containerId) {
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
