package dev.cleanroom.plugins.otel;

import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.PluginLog;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Records the specs it is asked to start and the containers it is asked to stop; host port =
 * 30000 + container port unless fixed.
 */
final class FakeBackend implements ContainerBackend {

    final List<ContainerSpec> started = new ArrayList<>();
    final List<String> stopped = new ArrayList<>();
    final List<String> logged = new ArrayList<>();

    /** What the engine would give service {@code name}, with this backend and a log kept in {@link #logged}. */
    ServiceContext context(String name) {
        PluginLog log = new PluginLog() {
            @Override
            public void info(String message) {
                logged.add(message);
            }

            @Override
            public void warn(String message) {
                logged.add(message);
            }
        };
        return new ServiceContext() {
            @Override
            public String serviceName() {
                return name;
            }

            @Override
            public ContainerBackend containers() {
                return FakeBackend.this;
            }

            @Override
            public Optional<ServiceHandle> service(String other) {
                return Optional.empty();
            }

            @Override
            public Set<String> serviceNames() {
                return Set.of(name);
            }

            @Override
            public PluginLog log() {
                return log;
            }
        };
    }

    @Override
    public ContainerInfo startContainer(ContainerSpec spec) {
        started.add(spec);
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        for (PortSpec port : spec.ports()) {
            ports.put(port.containerPort(), port.hostPort() == 0 ? 30000 + port.containerPort() : port.hostPort());
        }
        return new ContainerInfo("c" + started.size(), "collector-" + started.size(), "127.0.0.1", ports);
    }

    @Override
    public void stopContainer(String containerId) {
        stopped.add(containerId);
    }

    @Override
    public boolean isRunning(String containerId) {
        return true;
    }

    @Override
    public ContainerState inspect(String containerId) {
        return new ContainerState(true, 0, false, "running", "");
    }

    @Override
    public ExecResult exec(String containerId, ExecRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String logs(String containerId, int lines) {
        return "";
    }

    @Override
    public String hostAddress() {
        return "127.0.0.1";
    }
}
