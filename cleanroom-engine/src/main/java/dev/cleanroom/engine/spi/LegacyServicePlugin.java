package dev.cleanroom.engine.spi;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ConfigSchema;
import dev.cleanroom.engine.config.ServiceConfig;
import java.util.List;

/**
 * A service type users can name in {@code [services.NAME] type = "..."}.
 *
 * <p>One instance serves every service of its type, so implementations keep no per-service
 * state: everything a call needs arrives as its arguments. Plugins are found with
 * {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.cleanroom.engine.spi.LegacyServicePlugin}) or registered in code with
 * {@link ServiceFactory#register(String, LegacyServicePlugin)}.
 *
 * <p>Life of a service: the parser checks the file against {@link #configSchema()} and
 * {@link #validate}; before any container starts, the engine calls {@link #start}, then
 * {@link #healthCheck} until it answers healthy (see {@link #waitPolicy}), and at the end
 * {@link #stop}. Whatever happens, the engine also removes every container the plugin started
 * through the backend it was given.
 */
public interface LegacyServicePlugin {

    /** The name users write as {@code type}, e.g. {@code generic_container}. */
    String serviceType();

    /** One line for {@code mvn cleanroom:plugins}. */
    String description();

    /** The keys accepted under {@code [services.NAME]} besides {@code type}, {@code depends_on} and {@code pull}. */
    default ConfigSchema configSchema() {
        return ConfigSchema.of();
    }

    /**
     * Checks what the schema cannot (formats, ranges, files that must exist). Runs before any
     * container starts; report every problem, do not stop at the first.
     */
    default List<ConfigProblem> validate(ServiceConfig config) {
        return List.of();
    }

    /**
     * As {@link #validate(ServiceConfig)}, for checks that need the names of every service of the
     * file (e.g. a fault injector's targets). The parser calls this one.
     */
    default List<ConfigProblem> validate(ServiceConfig config, java.util.Set<String> allServices) {
        return validate(config);
    }

    /**
     * Services that must be ready before this one starts, besides those the user lists in
     * {@code depends_on}; e.g. a fault injector waits for its targets. Unknown names are ignored.
     */
    default java.util.List<String> implicitDependencies(ServiceConfig config, java.util.Set<String> allServices) {
        return List.of();
    }

    /**
     * Every image this service will start containers of: its own (as computed from {@code image}
     * or {@code tag}) and any it starts itself, such as a sidecar. The engine checks them before
     * any container starts ({@code pull = "never"}) and {@code cleanroom:pull} pulls them; an
     * image left out is still pulled when needed, just not ahead.
     */
    default List<String> images(ServiceConfig config) {
        return List.of();
    }

    /**
     * The bind mounts this service's containers will have. Where the daemon may not see the
     * build's files (a remote daemon, a build in a container), the engine checks each of them
     * before anything of the run starts; a mount left out is still checked, only later, just
     * before its container is created.
     */
    default List<VolumeMount> volumes(ServiceConfig config) {
        return List.of();
    }

    /** How long and how often the engine waits for {@link #healthCheck} to pass. */
    default WaitPolicy waitPolicy(ServiceConfig config) {
        return WaitPolicy.DEFAULT;
    }

    ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException;

    /**
     * Runs once, after the first healthy check and before the service counts as ready: the place
     * for work that needs a running server, such as creating a database or pulling a model. May
     * return a handle with more endpoints. Throwing fails the start (and removes everything).
     */
    default ServiceHandle afterReady(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        return handle;
    }

    default void stop(ServiceHandle handle, ContainerBackend backend) throws CleanroomException {
        backend.stopContainer(handle.containerId());
    }

    /**
     * Is the service ready? Called every {@link WaitPolicy#interval()} while it starts: keep it
     * well under 100 ms. The engine inspects the container before each call and fails the start
     * when it is no longer running, so a check need not test that itself. Throw when the service
     * can never become healthy, so the start fails fast.
     */
    HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException;
}
