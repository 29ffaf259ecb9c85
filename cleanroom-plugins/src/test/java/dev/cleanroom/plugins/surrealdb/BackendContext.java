package dev.cleanroom.plugins.surrealdb;

import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.PluginLog;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The context of one run of a lone service, for calling a surrealdb service without the engine:
 * its containers are the given backend's, and what it logs is kept in {@link #logged()}.
 */
record BackendContext(String serviceName, ContainerBackend containers, List<String> logged) implements ServiceContext {

    BackendContext(String serviceName, ContainerBackend containers) {
        this(serviceName, containers, Collections.synchronizedList(new ArrayList<>()));
    }

    @Override
    public Optional<ServiceHandle> service(String name) {
        return Optional.empty();
    }

    @Override
    public Set<String> serviceNames() {
        return Set.of(serviceName);
    }

    @Override
    public PluginLog log() {
        return new PluginLog() {
            @Override
            public void info(String message) {
                logged.add(message);
            }

            @Override
            public void warn(String message) {
                logged.add(message);
            }
        };
    }
}
