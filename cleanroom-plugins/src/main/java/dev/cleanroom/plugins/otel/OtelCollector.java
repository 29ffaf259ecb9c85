package dev.cleanroom.plugins.otel;

import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.GRPC_PORT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.HEALTH_PORT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.HTTP_PORT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.PROBE_TIMEOUT;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One collector of one run: prepares its output directory, starts its container, checks its health port. */
final class OtelCollector implements Service {

    private final OtelCollectorSettings settings;
    private final ServiceContext context;
    private ServiceHandle handle;

    OtelCollector(OtelCollectorSettings settings, ServiceContext context) {
        this.settings = settings;
        this.context = context;
    }

    @Override
    public void start() throws CleanroomException {
        CollectorOutput.BuildUser buildUser = prepareOutput();
        ContainerInfo container = context.containers().startContainer(settings.containerSpec(buildUser));
        Path received = CollectorOutput.received(settings.outputDir());
        ServiceHandle started = ServiceHandle.of(context.serviceName(), container)
                .withEndpoint("url", "http://" + container.address(HTTP_PORT))
                .withEndpoint("otlp_http", "http://" + container.address(HTTP_PORT))
                .withEndpoint("otlp_grpc", "http://" + container.address(GRPC_PORT))
                .withEndpoint("health", "http://" + container.address(HEALTH_PORT) + "/")
                .withEndpoint("output_dir", received.toString());
        if (settings.configFile().isEmpty()) {
            for (String signal : CollectorConfig.SIGNALS) {
                started = started.withEndpoint(
                        signal + "_file",
                        received.resolve(CollectorConfig.fileName(signal)).toString());
            }
            context.log().info("Collector " + context.serviceName() + " writes what it receives to " + received);
        }
        handle = started;
    }

    /** Writes the generated config (when there is no config_file) and a fresh directory for the collector. */
    private CollectorOutput.BuildUser prepareOutput() throws CleanroomException {
        Path dir = settings.outputDir();
        boolean generated = settings.configFile().isEmpty();
        try {
            return CollectorOutput.prepare(
                    dir,
                    generated ? Optional.of(CollectorConfig.generate(settings)) : Optional.empty(),
                    generated
                            ? CollectorConfig.SIGNALS.stream()
                                    .map(CollectorConfig::fileName)
                                    .toList()
                            : List.of(),
                    OtelCollectorSettings.COLLECTOR_UID);
        } catch (IOException e) {
            throw new CleanroomException(
                    "Cannot prepare the output directory " + dir + " of collector "
                            + context.serviceName() + ": " + e.getMessage()
                            + (e instanceof CollectorOutput.UnfitException
                                    ? ""
                                    : ". Perhaps you should set output_dir to a directory you own."),
                    e);
        }
    }

    @Override
    public HealthStatus checkHealth() {
        HealthStatus status = HealthProbes.http(handle.endpoints().get("health"), PROBE_TIMEOUT);
        if (status.isHealthy() || settings.configFile().isEmpty()) {
            return status;
        }
        return HealthStatus.notYet(status.detail() + " (does config_file put health_check on 0.0.0.0:" + HEALTH_PORT
                + " and list it under service.extensions?)");
    }

    @Override
    public ServiceHandle handle() {
        return handle;
    }

    /** Removes the container; the received files stay for the tests and the next run's start replaces them. */
    @Override
    public void stop() throws CleanroomException {
        if (handle != null) {
            context.containers().stopContainer(handle.containerId());
        }
    }
}
