package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.testing.StubBackend;
import dev.cleanroom.engine.testing.StubServiceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A container backend for unit tests that records every spec it is asked to start and stop and,
 * when told to, refuses GPU requests the way the Docker client reports Docker's refusal (reason
 * {@code GPU_REFUSED}, HTTP 500). It is also the context of one service, {@code app}, whose
 * containers it holds. A model server publishes one port: it goes to host port 32768 unless told.
 */
public final class RefusingBackend extends StubBackend implements ServiceContext {

    /** What Docker 20.10 without the NVIDIA runtime answers (measured on this project's machines). */
    public static final String NO_DRIVER = "Container for image %s could not start: could not select device driver "
            + "\"\" with capabilities: [[gpu]]";

    private StubServiceContext context = new StubServiceContext("app", this);
    private final List<ContainerSpec> attempts = new ArrayList<>();
    private String gpuRefusal;
    private String otherFailure;

    public RefusingBackend() {
        publishingFrom(32768);
    }

    /** The container's port is published on {@code hostPort}, e.g. where a test's own server listens. */
    public RefusingBackend publishingFrom(int hostPort) {
        hostPorts(containerPort -> hostPort);
        return this;
    }

    /** Drops the lines logged so far, e.g. the start's, for a test about what comes after. */
    public void forgetLog() {
        context = new StubServiceContext("app", this);
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
        return super.startContainer(spec);
    }

    /** Every spec asked to start, refused or not. */
    public List<ContainerSpec> attempts() {
        return List.copyOf(attempts);
    }

    public List<String> logLines() {
        return context.log().lines();
    }

    @Override
    public EngineLog log() {
        return context.log();
    }

    @Override
    public String serviceName() {
        return context.serviceName();
    }

    @Override
    public ContainerBackend containers() {
        return this;
    }

    @Override
    public Optional<ServiceHandle> service(String name) {
        return context.service(name);
    }

    @Override
    public Set<String> serviceNames() {
        return context.serviceNames();
    }
}
