package dev.cleanroom.plugins.generic;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.LogWatch;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.plugins.container.ContainerService;
import java.util.ArrayList;
import java.util.List;

/** One {@code generic_container} service of one run: its container and, with health.log, its log watch. */
final class GenericContainer extends ContainerService {

    private final GenericContainerSettings settings;
    private final GenericContainerSettings.Health health;
    /** health.http's URL on the published port, known once the container is up. */
    private String healthUrl;

    private LogWatch logWatch;

    GenericContainer(GenericContainerSettings settings, ServiceContext context) {
        super(context);
        this.settings = settings;
        this.health = settings.health();
    }

    @Override
    protected ContainerInfo startContainer() throws CleanroomException {
        return context.containers().startContainer(settings.containerSpec());
    }

    /**
     * One container is the whole service, so a running one an earlier build left under the same
     * definition is adopted as it is (the default adopt): its handle comes from its published
     * ports. What it holds carries over unless reset.command says how to clear it.
     */
    @Override
    protected ServiceHandle handOut(ContainerInfo container) {
        ServiceHandle handle = ServiceHandle.of(context.serviceName(), container);
        if (health.httpPort().isPresent()) {
            String url = "http://" + container.address(health.httpPort().get());
            handle = handle.withEndpoint("url", url);
            healthUrl = health.httpPath().map(url::concat).orElse(null);
        }
        return handle;
    }

    @Override
    public HealthStatus checkHealth() throws CleanroomException {
        if (health.none()) {
            // The engine inspects the container before every check and fails the start when it
            // is not running, so asking Docker again here would only double the calls.
            return HealthStatus.ok("running");
        }
        ContainerBackend backend = context.containers();
        ServiceHandle handle = handle();
        List<HealthStatus> results = new ArrayList<>();
        if (healthUrl != null) {
            results.add(HealthProbes.http(healthUrl, health.probeTimeout()));
        }
        if (health.tcpPort().isPresent()) {
            results.add(HealthProbes.tcp(
                    handle.host(), handle.hostPort(health.tcpPort().get()), health.probeTimeout()));
        }
        if (health.command().isPresent()) {
            results.add(HealthProbes.command(
                    backend, handle.containerId(), health.command().get(), health.probeTimeout()));
        }
        if (health.log().isPresent()) {
            if (logWatch == null) {
                logWatch = backend.watchLog(handle.containerId(), health.log().get(), health.startTimeout());
            }
            results.add(logWatch.status());
        }
        return results.stream()
                .filter(r -> !r.isHealthy())
                .findFirst()
                .orElseGet(() -> HealthStatus.ok(String.join(
                        "; ", results.stream().map(HealthStatus::detail).toList())));
    }

    @Override
    public void stop() throws CleanroomException {
        if (logWatch != null) {
            logWatch.close();
        }
        super.stop();
    }
}
