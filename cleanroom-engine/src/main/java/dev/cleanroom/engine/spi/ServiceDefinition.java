package dev.cleanroom.engine.spi;

import java.util.List;
import java.util.Set;

/**
 * One service as its plugin read it from the file: an immutable, typed value. The engine asks it
 * what it needs before anything starts (images to pull, bind mounts to check, services to wait
 * for) and creates a fresh {@link Service} from it for each run.
 */
public interface ServiceDefinition {

    /**
     * Every image this service will start containers of, its own and any sidecar's. The engine
     * checks them before any container starts ({@code pull = "never"}) and {@code cleanroom:pull}
     * pulls them; an image left out is still pulled when needed, just not ahead.
     */
    default List<String> images() {
        return List.of();
    }

    /**
     * The bind mounts this service's containers will have. Where the daemon may not see the
     * build's files (a remote daemon, a build in a container), the engine checks each before
     * anything of the run starts.
     */
    default List<VolumeMount> volumes() {
        return List.of();
    }

    /**
     * Services of the same file that must be ready before this one starts, besides those the
     * user lists in {@code depends_on}; e.g. a fault injector waits for its targets. They join the
     * file's one service graph, so a cycle through them is reported like any other (at load time,
     * with the path). Name only services you cannot work without.
     */
    default Set<String> implicitDependencies() {
        return Set.of();
    }

    /**
     * Whether reuse across builds ({@code -Dcleanroom.reuse=true}) may leave this service running
     * when the build ends, for the next build to adopt ({@link Service#adopt}). Answer false for a
     * service whose work belongs to one run and reaches into other services, such as a fault
     * injector whose schedule lives in this JVM: left running, nobody would end its faults. The
     * engine then stops it ({@link Service#stop}) and removes its containers when the build ends,
     * as without reuse, while the services it works on are kept; the next build starts it afresh.
     */
    default boolean reusableAcrossBuilds() {
        return true;
    }

    /**
     * What decides, besides the service's table and its images, whether a service an earlier
     * build left for reuse is still the same one: the content of files the service reads once,
     * when it starts (an init script, a config it loads), which an edit changes while the table
     * stays as it was. Reuse across builds replaces the service when this differs. Empty by default.
     */
    default String reuseFingerprint() {
        return "";
    }

    /** How long and how often the engine waits for {@link Service#checkHealth}. */
    default WaitPolicy waitPolicy() {
        return WaitPolicy.DEFAULT;
    }

    /**
     * A new service for one run; it starts nothing yet. {@code context} is where it starts
     * containers, finds the services it depends on and reports progress.
     */
    Service create(ServiceContext context);
}
