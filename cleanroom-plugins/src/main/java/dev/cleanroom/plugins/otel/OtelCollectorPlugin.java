package dev.cleanroom.plugins.otel;

import static dev.cleanroom.engine.config.ConfigKey.optional;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.config.ConfigKey;
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
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code otel_collector}: an OpenTelemetry Collector that receives the telemetry of the services
 * under test, keeps it in files tests can read, and optionally forwards it.
 *
 * <pre>
 * [services.collector]
 * type = "otel_collector"          # otel/opentelemetry-collector-contrib, pinned tag
 *
 * [services.app]
 * type = "generic_container"
 * image = "my/app:1.0"
 * depends_on = ["collector"]
 * env.OTEL_EXPORTER_OTLP_ENDPOINT = "http://collector:4318"   # other services: by name
 * </pre>
 *
 * <p>Without {@code config_file}, Cleanroom generates the config (see {@link CollectorConfig}):
 * OTLP gRPC 4317 and HTTP 4318 on all interfaces, {@code health_check} on 0.0.0.0:13133, and one
 * file exporter per signal writing OTLP/JSON lines into {@code received/} of {@code output_dir}
 * (by default {@code target/cleanroom/otel/<service>} next to the nearest {@code pom.xml} above
 * the TOML file; see {@link CollectorOutput} for who owns what). With {@code config_file}, that file is mounted read-only where the image reads its
 * config, and must itself put {@code health_check} on 0.0.0.0:13133.
 *
 * <p>Ready when {@code GET /} on the health port answers. Exported to tests (as
 * {@code cleanroom.<service>.<key>}): {@code otlp_http}, {@code otlp_grpc} (for this JVM, e.g.
 * {@code http://127.0.0.1:32771}), {@code health}, {@code output_dir} (the run's
 * {@code received/} directory, mounted at {@value CollectorConfig#OUTPUT_MOUNT}, also for a
 * {@code config_file}'s own file exporters), and
 * with a generated config {@code traces_file}, {@code metrics_file}, {@code logs_file}.
 */
public final class OtelCollectorPlugin implements LegacyServicePlugin {

    public static final String TYPE = "otel_collector";
    static final int GRPC_PORT = 4317;
    static final int HTTP_PORT = 4318;
    static final int HEALTH_PORT = 13133;
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** The generated config's name in output_dir; JSON, which YAML readers accept. */
    static final String GENERATED_CONFIG = "collector-config.yaml";

    static final ConfigSchema SCHEMA = ConfigSchema.of(
            optional("image", ValueType.STRING, OtelCollectorSettings.DEFAULT_IMAGE, "Collector image; "
                    + OtelCollectorSettings.CORE_IMAGE + " (the core distribution) works too"),
            optional("config_file", ValueType.STRING, "generated", "Your collector config (YAML), relative to the "
                    + "TOML file; must be world-readable (the collector runs as uid 10001) and put health_check on "
                    + "0.0.0.0:13133. Without it Cleanroom generates one: OTLP in, one OTLP/JSON file per signal out"),
            optional("config_path", ValueType.STRING, "/etc/otelcol-contrib/config.yaml (core image: "
                    + "/etc/otelcol/config.yaml)", "Where the image reads its config; for other distributions"),
            optional("ports", ValueType.STRING_LIST, "random host ports", "Host ports for container ports: 4317 "
                    + "(OTLP gRPC), 4318 (OTLP HTTP) and 13133 (health) are always published, on 127.0.0.1 and a "
                    + "free port unless listed here, e.g. [\"4318:4318\"]"),
            optional("output_dir", ValueType.STRING, "target/cleanroom/otel/<service>", "Host directory for the "
                    + "collector's files: each run Cleanroom creates received/ in it anew (mode 0700; mounted at "
                    + "/var/lib/cleanroom-otel, also for a config_file), where the generated config's file exporters "
                    + "write traces.jsonl, metrics.jsonl and logs.jsonl; relative to the TOML file; by default under "
                    + "the target/ directory next to the nearest pom.xml above the TOML file; created when missing, "
                    + "never chmod-ed; refused when it is a symbolic link, writable by every user or another user's"),
            optional("env", ValueType.STRING_MAP, "", "Environment variables, e.g. for ${env:NAME} in config_file"),
            optional("debug", ValueType.BOOLEAN, "false", "Also print what arrives on the collector's output "
                    + "(the debug exporter); generated config only"),
            optional("export.type", ValueType.STRING, "otlphttp", "Forward everything received: \"otlphttp\" "
                    + "(OTLP over HTTP) or \"otlp\" (OTLP over gRPC); generated config only"),
            optional("export.endpoint", ValueType.STRING, "", "Where to forward, e.g. \"http://backend:4318\" (a "
                    + "service of this file, by name); required when any export key is set"),
            optional("export.headers", ValueType.STRING_MAP, "", "Headers sent when forwarding: "
                    + "export.headers.NAME = \"value\"; a value whose NAME looks secret (authorization, "
                    + "x-api-key, cookie, token, ...) is masked in every log and passed as an environment variable, "
                    + "like export.auth.value"),
            optional("export.auth.header", ValueType.STRING, "authorization", "The header that carries "
                    + "export.auth.value, e.g. \"x-api-key\""),
            ConfigKey.secret("export.auth.value", "Secret header value sent when forwarding, e.g. \"Bearer ...\"; "
                    + "masked in every log and never written to the generated config (passed as an environment "
                    + "variable)"),
            optional("start_timeout", ValueType.DURATION, "60s", "Time the collector has to answer its health check"));

    @Override
    public String serviceType() {
        return TYPE;
    }

    @Override
    public String description() {
        return "OpenTelemetry Collector: receives OTLP, keeps it in files for tests, forwards it";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        OtelCollectorSettings.read(config, problems);
        return problems;
    }

    @Override
    public WaitPolicy waitPolicy(ServiceConfig config) {
        return WaitPolicy.of(WaitPolicy.DEFAULT.interval(), settings(config).startTimeout(), 0);
    }

    /** The container for these settings; package-visible so tests pin it. */
    static ContainerSpec containerSpec(OtelCollectorSettings settings) {
        return containerSpec(settings, CollectorOutput.BuildUser.ROOT);
    }

    /** Building as another user than root, the collector runs as that user, who owns its directory. */
    static ContainerSpec containerSpec(OtelCollectorSettings settings, CollectorOutput.BuildUser buildUser) {
        ContainerSpec.Builder spec = ContainerSpec.builder(settings.image())
                .command(List.of("--config=" + settings.configPath()))
                .env(settings.env())
                .ports(settings.ports());
        List<Integer> listed = settings.ports().stream().map(PortSpec::containerPort).toList();
        for (int port : List.of(GRPC_PORT, HTTP_PORT, HEALTH_PORT)) {
            if (!listed.contains(port)) {
                spec.port(PortSpec.container(port));
            }
        }
        mounts(settings).forEach(spec::volume);
        buildUser.containerUser().ifPresent(spec::user);
        settings.export().map(CollectorConfig::secretEnv).ifPresent(secrets -> secrets.forEach(spec::secretEnv));
        return spec.build();
    }

    @Override
    public List<String> images(ServiceConfig config) {
        return List.of(settings(config).image());
    }

    @Override
    public List<VolumeMount> volumes(ServiceConfig config) {
        return mounts(settings(config));
    }

    private static List<VolumeMount> mounts(OtelCollectorSettings settings) {
        return List.of(new VolumeMount(settings.configFile().orElse(settings.outputDir().resolve(GENERATED_CONFIG)),
                        settings.configPath(), true),
                // Mounted with a config_file too, so that file's exporters can write where tests read.
                new VolumeMount(CollectorOutput.received(settings.outputDir()), CollectorConfig.OUTPUT_MOUNT, false));
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        OtelCollectorSettings settings = settings(config);
        CollectorOutput.BuildUser buildUser = prepareOutput(config, settings);
        ContainerInfo container = backend.startContainer(containerSpec(settings, buildUser));
        Path received = CollectorOutput.received(settings.outputDir());
        ServiceHandle handle = ServiceHandle.of(config.name(), container)
                .withEndpoint("url", "http://" + container.address(HTTP_PORT))
                .withEndpoint("otlp_http", "http://" + container.address(HTTP_PORT))
                .withEndpoint("otlp_grpc", "http://" + container.address(GRPC_PORT))
                .withEndpoint("health", "http://" + container.address(HEALTH_PORT) + "/")
                .withEndpoint("output_dir", received.toString());
        if (settings.configFile().isEmpty()) {
            for (String signal : CollectorConfig.SIGNALS) {
                handle = handle.withEndpoint(signal + "_file",
                        received.resolve(CollectorConfig.fileName(signal)).toString());
            }
            backend.log().info("Collector " + config.name() + " writes what it receives to " + received);
        }
        return handle;
    }

    /** Writes the generated config (when there is no config_file) and a fresh directory for the collector. */
    private static CollectorOutput.BuildUser prepareOutput(ServiceConfig config, OtelCollectorSettings settings)
            throws CleanroomException {
        Path dir = settings.outputDir();
        boolean generated = settings.configFile().isEmpty();
        try {
            return CollectorOutput.prepare(dir, generated ? Optional.of(CollectorConfig.generate(settings))
                    : Optional.empty(), generated ? CollectorConfig.SIGNALS.stream().map(CollectorConfig::fileName)
                    .toList() : List.of(), OtelCollectorSettings.COLLECTOR_UID);
        } catch (IOException e) {
            throw new CleanroomException("Cannot prepare the output directory " + dir + " of collector " + config.name()
                    + ": " + e.getMessage() + (e instanceof CollectorOutput.UnfitException ? ""
                    : ". Perhaps you should set output_dir to a directory you own."), e);
        }
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend) {
        HealthStatus status = HealthProbes.http(handle.endpoints().get("health"), PROBE_TIMEOUT);
        if (status.isHealthy() || settings(config).configFile().isEmpty()) {
            return status;
        }
        return HealthStatus.notYet(status.detail() + " (does config_file put health_check on 0.0.0.0:"
                + HEALTH_PORT + " and list it under service.extensions?)");
    }

    private static OtelCollectorSettings settings(ServiceConfig config) {
        // Validated before start, so problems cannot occur here.
        return OtelCollectorSettings.read(config, new ArrayList<>());
    }
}
