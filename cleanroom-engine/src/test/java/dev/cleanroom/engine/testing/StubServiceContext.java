package dev.cleanroom.engine.testing;

import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Test double of the {@link ServiceContext} the engine gives one service of one run, for calling a
 * plugin's {@code ServiceDefinition.create} and the {@code Service} it returns without the engine:
 * the service's name, the backend its containers go to (a {@link StubBackend}, or any other), the
 * other services of the run that are ready, and a log that keeps every line
 * ({@link RecordingLog}: {@code "INFO ..."}, {@code "WARN ..."}).
 */
public final class StubServiceContext implements ServiceContext {

    private final String serviceName;
    private final ContainerBackend containers;
    private final Map<String, ServiceHandle> readyServices = new LinkedHashMap<>();
    private final RecordingLog log = new RecordingLog();

    /** The context of a service alone in its run. */
    public StubServiceContext(String serviceName, ContainerBackend containers) {
        this.serviceName = serviceName;
        this.containers = containers;
    }

    /** Another service of the run, ready: {@link #service} finds it by its handle's name. */
    public StubServiceContext withReadyService(ServiceHandle other) {
        readyServices.put(other.name(), other);
        return this;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public ContainerBackend containers() {
        return containers;
    }

    @Override
    public Optional<ServiceHandle> service(String name) {
        return Optional.ofNullable(readyServices.get(name));
    }

    /** This service's name and those of the ready services. */
    @Override
    public Set<String> serviceNames() {
        Set<String> names = new LinkedHashSet<>(readyServices.keySet());
        names.add(serviceName);
        return Set.copyOf(names);
    }

    @Override
    public RecordingLog log() {
        return log;
    }
}
