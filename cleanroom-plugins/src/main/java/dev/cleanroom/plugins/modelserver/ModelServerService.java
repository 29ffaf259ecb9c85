package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import java.util.List;
import java.util.Optional;

/**
 * One run of a model server: creates the model cache, starts the container with or without GPUs
 * (see {@link GpuLauncher}), exports {@code url} and stops what it started. A type adds its
 * command line, its health check and what it exports or does once ready.
 */
public abstract class ModelServerService implements Service {

    protected final ServiceContext context;
    private final ModelServer server;
    private ContainerInfo container;
    private ServiceHandle handle;

    protected ModelServerService(ModelServer server, ServiceContext context) {
        this.server = server;
        this.context = context;
    }

    /** The server's arguments; {@code gpu} is empty when it runs on CPU. */
    protected abstract List<String> command(Optional<GpuRequest> gpu);

    /** Endpoints besides {@code url}, known at start. */
    protected ServiceHandle exportedAtStart(ServiceHandle withUrl) {
        return withUrl;
    }

    @Override
    public final void start() throws CleanroomException {
        ModelServerType type = server.type();
        if (type.usesHfToken()) {
            context.log().info(HfToken.describe(server.token()));
        }
        CacheDirectory.create(server.cacheDir());
        container = GpuLauncher.start(
                        context.containers(),
                        context.log(),
                        server.gpu(),
                        type.serverName(),
                        type.gpuOnly(),
                        gpu -> server.containerSpec(command(gpu), gpu))
                .container();
        handle = exportedAtStart(
                ServiceHandle.of(context.serviceName(), container).withEndpoint("url", url()));
    }

    /** {@code http://HOST:PORT} of the started server. */
    protected final String url() {
        return "http://" + container.address(server.type().port());
    }

    /** Adds an endpoint learnt after start, e.g. from the ready server. */
    protected final void export(String name, String value) {
        handle = handle.withEndpoint(name, value);
    }

    @Override
    public final ServiceHandle handle() {
        return handle;
    }

    /** Removes the container; a start that failed before it existed leaves nothing to remove. */
    @Override
    public void stop() throws CleanroomException {
        if (container != null) {
            context.containers().stopContainer(container.id());
        }
    }
}
