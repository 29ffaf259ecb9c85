package dev.cleanroom.engine.spi;

import java.util.Optional;
import java.util.Set;

/**
 * What the engine offers one service of one run. Containers started through {@link #containers()}
 * join the run's network under the service's name, carry the run's labels, and are removed when
 * the run ends even if the service forgets.
 */
public interface ServiceContext {

    /** The service's name in the file ({@code [services.NAME]}). */
    String serviceName();

    /** Where the service starts, inspects, runs commands in and stops its containers. */
    ContainerBackend containers();

    /**
     * Another service of the same run, once it is ready: only services this one depends on
     * (declared or implicit) are sure to be there when it starts.
     */
    Optional<ServiceHandle> service(String name);

    /** The names of every service of the run, ready or not. */
    Set<String> serviceNames();

    /** Where a service reports progress (a model download, say) so users do not stare at silence. */
    PluginLog log();
}
