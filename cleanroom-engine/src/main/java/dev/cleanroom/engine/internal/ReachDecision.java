package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import java.net.URI;
import java.util.Optional;

/**
 * Decides, once per connection, how the build reaches the daemon's services (see
 * {@link ServiceReach}): a daemon on another host by its address; a local one by asking it
 * whether this process runs in one of its containers; then the user's override, if any.
 */
public final class ReachDecision {

    private ReachDecision() {}

    public static ServiceReach decide(
            String daemon, InContainerDetection.Daemon view, Optional<ServiceReach.Override> override, EngineLog log) {
        ServiceReach detected = detect(daemon, view, log);
        return override.map(detected::overriddenBy).orElse(detected);
    }

    private static ServiceReach detect(String daemon, InContainerDetection.Daemon view, EngineLog log) {
        URI uri;
        try {
            uri = URI.create(daemon);
        } catch (IllegalArgumentException e) {
            return ServiceReach.onHost(daemon);
        }
        if (ServiceReach.isRemote(uri)) {
            return ServiceReach.remote(daemon, ServiceReach.addressOf(uri));
        }
        return InContainerDetection.detect(
                        view,
                        InContainerDetection.candidatesOfThisProcess(),
                        InContainerDetection.defaultMarkerDirectories(),
                        log)
                .map(found -> ServiceReach.inContainer(daemon, found.id(), found.mounts()))
                .orElseGet(() -> ServiceReach.onHost(daemon));
    }

    /** The override from the engine's setting, the system property, or the environment. */
    public static Optional<ServiceReach.Override> override(String configured) {
        return ServiceReach.override(
                configured,
                System.getProperty(ServiceReach.OVERRIDE_PROPERTY),
                System.getenv(ServiceReach.OVERRIDE_ENV));
    }
}
