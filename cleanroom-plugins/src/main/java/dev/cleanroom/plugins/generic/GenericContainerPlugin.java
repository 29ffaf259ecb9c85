package dev.cleanroom.plugins.generic;

import static dev.cleanroom.engine.config.ConfigKey.optional;
import static dev.cleanroom.engine.config.ConfigKey.required;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ConfigSchema;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.LegacyServicePlugin;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import java.util.ArrayList;
import java.util.List;

/** {@code generic_container}: any image, with env, ports, volumes, command and a health check. */
public final class GenericContainerPlugin implements LegacyServicePlugin {

    public static final String TYPE = "generic_container";

    static final ConfigSchema SCHEMA = ConfigSchema.of(
            required("image", ValueType.STRING, "Image reference, e.g. \"alpine:3.20\"; pulled when not present"),
            optional("command", ValueType.STRING_LIST, "image default", "Replaces the image's CMD; an argv list"),
            optional("entrypoint", ValueType.STRING_LIST, "image default", "Replaces the image's ENTRYPOINT"),
            optional("env", ValueType.STRING_MAP, "", "Environment variables: env.NAME = \"value\""),
            optional("ports", ValueType.STRING_LIST, "", "\"8080\" (random host port), \"18080:8080\", or "
                    + "\"0.0.0.0:18080:8080\"; published on 127.0.0.1 unless an address is given"),
            optional("volumes", ValueType.STRING_LIST, "", "\"host/path:/container/path[:ro]\"; host paths are "
                    + "relative to the TOML file and must exist"),
            optional("aliases", ValueType.STRING_LIST, "", "More names on the run's network besides the service name"),
            optional("user", ValueType.STRING, "image default", "User (name or uid[:gid]) the container runs as"),
            optional("workdir", ValueType.STRING, "image default", "Working directory of the container"),
            optional("stdin_open", ValueType.BOOLEAN, "true", "Keep stdin open, as docker run -i, so an image whose "
                    + "command is a shell (alpine's) stays up for the steps; false gives it end of input at once"),
            optional("stop_timeout", ValueType.DURATION, "0s", "Grace period after SIGTERM before SIGKILL at stop; "
                    + "0s removes at once (test data is thrown away anyway)"),
            optional("health.command", ValueType.STRING_LIST, "", "Ready when this argv exits 0 inside the container"),
            optional("health.http", ValueType.STRING, "", "Ready when GET of this path answers 2xx/3xx"),
            optional("health.port", ValueType.INTEGER, "first of ports", "Container port for health.http"),
            optional("health.tcp", ValueType.INTEGER, "", "Ready when this container port accepts connections"),
            optional("health.log", ValueType.STRING, "", "Ready when a line of the container's output, from "
                    + "its start, matches this regex; a match still running at health.start_timeout fails the start"),
            optional("health.interval", ValueType.DURATION, "100ms", "Time between checks"),
            optional("health.timeout", ValueType.DURATION, "2s", "Time one check may take"),
            optional("health.start_timeout", ValueType.DURATION, "60s", "Time the service has to become ready"),
            optional("health.retries", ValueType.INTEGER, "0", "Failed checks in a row that fail the start; "
                    + "0 = keep checking until health.start_timeout"));

    @Override
    public String serviceType() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Generic Docker container support";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        GenericContainerSettings.read(config, problems);
        return problems;
    }

    @Override
    public WaitPolicy waitPolicy(ServiceConfig config) {
        GenericContainerSettings.Health health = settings(config).health();
        return WaitPolicy.of(health.interval(), health.startTimeout(), health.retries());
    }

    /** The container spec for a config: public to tests in this package, which pin it. */
    static ContainerSpec containerSpec(GenericContainerSettings settings) {
        ContainerSpec.Builder spec = ContainerSpec.builder(settings.image())
                .env(settings.env())
                .ports(settings.ports())
                .volumes(settings.volumes())
                .aliases(settings.aliases())
                .stopTimeout(settings.stopTimeout())
                .openStdin(settings.stdinOpen());
        settings.command().ifPresent(spec::command);
        settings.entrypoint().ifPresent(spec::entrypoint);
        settings.user().ifPresent(spec::user);
        settings.workdir().ifPresent(spec::workdir);
        // A port that is only checked, not declared, is still published, on loopback, so the check can reach it.
        List<Integer> published = settings.ports().stream().map(PortSpec::containerPort).toList();
        GenericContainerSettings.Health health = settings.health();
        health.httpPort().filter(p -> !published.contains(p)).ifPresent(p -> spec.port(PortSpec.container(p)));
        health.tcpPort().filter(p -> !published.contains(p) && !p.equals(health.httpPort().orElse(-1)))
                .ifPresent(p -> spec.port(PortSpec.container(p)));
        return spec.build();
    }

    @Override
    public List<String> images(ServiceConfig config) {
        return List.of(settings(config).image());
    }

    @Override
    public List<VolumeMount> volumes(ServiceConfig config) {
        return settings(config).volumes();
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        GenericContainerSettings settings = settings(config);
        ContainerInfo container = backend.startContainer(containerSpec(settings));
        ServiceHandle handle = ServiceHandle.of(config.name(), container);
        if (settings.health().httpPort().isPresent()) {
            handle = handle.withEndpoint("url", "http://" + container.address(settings.health().httpPort().get()));
        }
        return handle;
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        GenericContainerSettings.Health health = settings(config).health();
        if (health.none()) {
            // The engine inspects the container before every check and fails the start when it
            // is not running, so asking Docker again here would only double the calls.
            return HealthStatus.ok("running");
        }
        List<HealthStatus> results = new ArrayList<>();
        if (health.httpPath().isPresent() && health.httpPort().isPresent()) {
            results.add(HealthProbes.http("http://" + handle.address(health.httpPort().get()) + health.httpPath().get(),
                    health.probeTimeout()));
        }
        if (health.tcpPort().isPresent()) {
            results.add(HealthProbes.tcp(handle.host(), handle.hostPort(health.tcpPort().get()), health.probeTimeout()));
        }
        if (health.command().isPresent()) {
            results.add(HealthProbes.command(backend, handle.containerId(), health.command().get(), health.probeTimeout()));
        }
        if (health.log().isPresent()) {
            results.add(HealthProbes.log(backend, handle.containerId(), health.log().get(), health.startTimeout()));
        }
        return results.stream().filter(r -> !r.isHealthy()).findFirst()
                .orElseGet(() -> HealthStatus.ok(String.join("; ", results.stream().map(HealthStatus::detail).toList())));
    }

    private static GenericContainerSettings settings(ServiceConfig config) {
        // Validated before start, so problems cannot occur here.
        return GenericContainerSettings.read(config, new ArrayList<>());
    }
}
