package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.plugins.container.ContainerService;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One run of a model server: creates the model cache, starts the container with or without GPUs
 * (see {@link GpuLauncher}), exports {@code url} and stops what it started. A type adds its
 * command line, its health check and what it exports or does once ready.
 *
 * <p>Reuse across builds adopts a running server, which is where reuse pays most: its model is
 * loaded (vLLM, TGI) or pulled (Ollama) already. A type whose {@link #afterReady} learns or
 * prepares something does it again in {@link #reset}, which the engine calls on an adopted server
 * after its health check (it skips afterReady).
 */
public abstract class ModelServerService extends ContainerService {

    /** How long one health or API probe of a model server may take. */
    protected static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final ModelServer server;
    private ContainerInfo container;

    protected ModelServerService(ModelServer server, ServiceContext context) {
        super(context);
        this.server = server;
    }

    /** The server's arguments; {@code gpu} is empty when it runs on CPU. */
    protected abstract List<String> command(Optional<GpuRequest> gpu);

    /** Endpoints besides {@code url}, known at start. */
    protected ServiceHandle exportedAtStart(ServiceHandle withUrl) {
        return withUrl;
    }

    @Override
    protected final ContainerInfo startContainer() throws CleanroomException {
        ModelServerType type = server.type();
        if (type.usesHfToken()) {
            context.log().info(HfToken.describe(server.token()));
        }
        CacheDirectory.create(server.cacheDir());
        return GpuLauncher.start(
                        context.containers(),
                        context.log(),
                        server.gpu(),
                        type.serverName(),
                        type.gpuOnly(),
                        gpu -> server.containerSpec(command(gpu), gpu))
                .container();
    }

    @Override
    protected final ServiceHandle handOut(ContainerInfo started) {
        container = started;
        return exportedAtStart(ServiceHandle.of(context.serviceName(), started).withEndpoint("url", url()));
    }

    /**
     * Adopts the running server unless its model cache is gone from the host (deleted since): the
     * container would keep writing into a directory nobody sees, and a fresh start creates and
     * mounts it again.
     */
    @Override
    public final boolean adopt(ContainerInfo existing) throws CleanroomException {
        if (!Files.isDirectory(server.cacheDir())) {
            context.log()
                    .info("Not adopting the running " + server.type().serverName() + ": its model cache "
                            + server.cacheDir() + " is gone");
            return false;
        }
        return super.adopt(existing);
    }

    /** {@code http://HOST:PORT} of the started server. */
    protected final String url() {
        return "http://" + container.address(server.type().port());
    }
}
