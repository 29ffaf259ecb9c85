package dev.cleanroom.plugins.otel;

import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.GRPC_PORT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.HEALTH_PORT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.HTTP_PORT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.PROBE_TIMEOUT;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.plugins.container.ContainerService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One collector of one run: prepares its output directory, starts its container, checks its health port.
 *
 * <p>Reused across builds, a collector is adopted while the {@code received/} directory it has
 * mounted is still the one in output_dir ({@code mvn clean} removes it: then it is replaced), and
 * with the generated config its signal files are emptied before it is handed out, so steps and
 * tests see only this build's telemetry, as after a fresh start. With a config_file, whose
 * exporters Cleanroom does not know (a file opened without O_APPEND would get a hole of zeros if
 * emptied under it), what they wrote carries over. Stop removes the container (the inherited
 * stop); the received files stay for the tests, and the next fresh start replaces them.
 */
final class OtelCollector extends ContainerService {

    private final OtelCollectorSettings settings;

    OtelCollector(OtelCollectorSettings settings, ServiceContext context) {
        super(context);
        this.settings = settings;
    }

    @Override
    protected ContainerInfo startContainer() throws CleanroomException {
        CollectorOutput.BuildUser buildUser = prepareOutput();
        ContainerInfo container = context.containers().startContainer(settings.containerSpec(buildUser));
        try {
            CollectorOutput.recordMount(settings.outputDir(), container.id());
        } catch (IOException e) {
            context.containers().stopContainer(container.id());
            throw new CleanroomException(
                    "Cannot write " + settings.outputDir().resolve(CollectorOutput.MOUNT_RECORD) + " for collector "
                            + context.serviceName() + ": " + e.getMessage(),
                    e);
        }
        return container;
    }

    @Override
    protected ServiceHandle handOut(ContainerInfo container) {
        Path received = CollectorOutput.received(settings.outputDir());
        ServiceHandle started = ServiceHandle.of(context.serviceName(), container)
                .withEndpoint("url", "http://" + container.address(HTTP_PORT))
                .withEndpoint("otlp_http", "http://" + container.address(HTTP_PORT))
                .withEndpoint("otlp_grpc", "http://" + container.address(GRPC_PORT))
                .withEndpoint("health", "http://" + container.address(HEALTH_PORT) + "/")
                .withEndpoint("output_dir", received.toString());
        if (generatedConfig()) {
            for (String signal : CollectorConfig.SIGNALS) {
                started = started.withEndpoint(
                        signal + "_file",
                        received.resolve(CollectorConfig.fileName(signal)).toString());
            }
            context.log().info("Collector " + context.serviceName() + " writes what it receives to " + received);
        }
        return started;
    }

    @Override
    public boolean adopt(ContainerInfo existing) throws CleanroomException {
        if (!CollectorOutput.stillMountedIn(settings.outputDir(), existing.id())) {
            context.log()
                    .info("Not adopting the running collector: "
                            + CollectorOutput.received(settings.outputDir())
                            + " is not the directory it writes into any more (removed or made anew since)");
            return false;
        }
        return super.adopt(existing);
    }

    /** Empties the generated config's signal files; see the class comment for why not a config_file's. */
    @Override
    public void reset() throws CleanroomException {
        if (!generatedConfig()) {
            return;
        }
        try {
            CollectorOutput.empty(settings.outputDir(), signalFiles());
        } catch (IOException e) {
            throw new CleanroomException(
                    "Cannot empty the received telemetry of collector " + context.serviceName() + " in "
                            + CollectorOutput.received(settings.outputDir()) + ": " + e.getMessage(),
                    e);
        }
    }

    private boolean generatedConfig() {
        return settings.configFile().isEmpty();
    }

    private static List<String> signalFiles() {
        return CollectorConfig.SIGNALS.stream().map(CollectorConfig::fileName).toList();
    }

    /** Writes the generated config (when there is no config_file) and a fresh directory for the collector. */
    private CollectorOutput.BuildUser prepareOutput() throws CleanroomException {
        Path dir = settings.outputDir();
        boolean generated = generatedConfig();
        try {
            return CollectorOutput.prepare(
                    dir,
                    generated ? Optional.of(CollectorConfig.generate(settings)) : Optional.empty(),
                    generated ? signalFiles() : List.of(),
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
        HealthStatus status = HealthProbes.http(handle().endpoints().get("health"), PROBE_TIMEOUT);
        if (status.isHealthy() || settings.configFile().isEmpty()) {
            return status;
        }
        return HealthStatus.notYet(status.detail() + " (does config_file put health_check on 0.0.0.0:" + HEALTH_PORT
                + " and list it under service.extensions?)");
    }
}
