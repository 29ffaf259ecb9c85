package dev.cleanroom.plugins.otel;

import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.PortSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records the specs it is asked to start; host port = 30000 + container port unless fixed. */
final class FakeBackend implements ContainerBackend {

    final List<ContainerSpec> started = new ArrayList<>();

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
