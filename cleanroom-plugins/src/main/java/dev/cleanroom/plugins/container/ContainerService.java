package dev.cleanroom.plugins.container;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;

/**
 * A service that is one container, started afresh or, with reuse across builds, adopted as an
 * earlier build left it. Both ways end in {@link #handOut}, which derives everything the run
 * needs from the container (the handle with its endpoints, probe URLs), so an adopted service
 * exports exactly what a fresh start of the same definition would.
 */
public abstract class ContainerService implements Service {

    protected final ServiceContext context;
    /** Null until the container runs or is adopted; stop copes with a start that failed before. */
    private ServiceHandle handle;

    protected ContainerService(ServiceContext context) {
        this.context = context;
    }

    /** Creates and starts the container, after whatever must be ready for it on the host. */
    protected abstract ContainerInfo startContainer() throws CleanroomException;

    /**
     * The handle of this run's container, fresh or adopted, and anything else the run keeps of it
     * (a health URL, say). Learns nothing from the server: on adoption it runs before the health check.
     */
    protected abstract ServiceHandle handOut(ContainerInfo container) throws CleanroomException;

    @Override
    public void start() throws CleanroomException {
        handle = handOut(startContainer());
    }

    /**
     * Takes the container as it runs: the engine has checked that it was started under this very
     * definition, and checks its health next. A type whose container depends on more than its
     * definition (a host directory that may be gone) checks that first and declines.
     */
    @Override
    public boolean adopt(ContainerInfo existing) throws CleanroomException {
        handle = handOut(existing);
        return true;
    }

    /** Adds an endpoint learnt from the ready server (after afterReady, or a reset of an adopted one). */
    protected final void export(String name, String value) {
        handle = handle.withEndpoint(name, value);
    }

    @Override
    public ServiceHandle handle() {
        return handle;
    }

    /** Removes the container; a start that failed before it existed leaves nothing to remove. */
    @Override
    public void stop() throws CleanroomException {
        if (handle != null) {
            context.containers().stopContainer(handle.containerId());
        }
    }
}
