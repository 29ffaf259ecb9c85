package dev.cleanroom.plugins.otel;

import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.CONFIG_FILE;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.CONFIG_PATH;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.DEBUG;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.ENV;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.EXPORT_AUTH_HEADER;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.EXPORT_AUTH_VALUE;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.EXPORT_ENDPOINT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.EXPORT_HEADERS;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.EXPORT_KEYS;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.EXPORT_TYPE;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.GENERATED_CONFIG;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.GRPC_PORT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.HEALTH_PORT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.HTTP_PORT;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.IMAGE;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.OUTPUT_DIR;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.PORTS;
import static dev.cleanroom.plugins.otel.OtelCollectorPlugin.START_TIMEOUT;

import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import dev.cleanroom.plugins.container.FileFingerprint;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code otel_collector} service as read from its table, once, before anything starts, with
 * every problem reported; output_dir is judged here too, so an unfit one is refused at load time.
 *
 * @param configFile the user's collector config on the host; empty means "generate one"
 * @param configPath where the image reads its config inside the container
 * @param outputDir host directory the generated config's file exporters write into
 */
record OtelCollectorSettings(
        String image,
        Optional<Path> configFile,
        String configPath,
        List<PortSpec> ports,
        Path outputDir,
        Map<String, String> env,
        boolean debug,
        Optional<Export> export,
        Duration startTimeout)
        implements ServiceDefinition {

    static final String CONTRIB_IMAGE = "otel/opentelemetry-collector-contrib";
    static final String CORE_IMAGE = "otel/opentelemetry-collector";
    /** See the package documentation for why this tag. */
    static final String DEFAULT_TAG = "0.128.0";

    static final String DEFAULT_IMAGE = CONTRIB_IMAGE + ":" + DEFAULT_TAG;
    static final String CONTRIB_CONFIG_PATH = "/etc/otelcol-contrib/config.yaml";
    static final String CORE_CONFIG_PATH = "/etc/otelcol/config.yaml";
    /** The uid both upstream images run as; a mounted config must be readable by it. */
    static final int COLLECTOR_UID = 10001;

    static final List<String> EXPORT_TYPES = List.of("otlp", "otlphttp");

    /**
     * Where received telemetry goes besides the local files.
     *
     * @param authHeader the header carrying {@code authValue}, when there is one
     * @param authValue a secret: passed as an environment variable, never written to the config
     */
    record Export(
            String type, String endpoint, Map<String, String> headers, String authHeader, Optional<String> authValue) {}

    static OtelCollectorSettings read(Settings settings) {
        String image = settings.get(IMAGE);
        if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            settings.problem(
                    IMAGE,
                    "\"" + image + "\" is not an image reference",
                    "write e.g. image = \"" + DEFAULT_IMAGE + "\"");
        }
        String configPath = settings.find(CONFIG_PATH).orElse(defaultConfigPath(image));
        if (!configPath.startsWith("/")) {
            settings.problem(
                    CONFIG_PATH,
                    "\"" + configPath + "\" is not an absolute path",
                    "write the path the image reads its config from, e.g. config_path = \"" + CONTRIB_CONFIG_PATH
                            + "\"");
            configPath = defaultConfigPath(image);
        }
        Optional<Path> configFile = readConfigFile(settings);
        Optional<Export> export = readExport(settings);
        if (configFile.isPresent() && export.isPresent()) {
            settings.problem(
                    EXPORT_ENDPOINT,
                    "export.* only shapes the generated config, and config_file replaces it",
                    "remove export.*, or declare the exporter in " + configFile.get());
        }
        if (configFile.isPresent() && settings.has(DEBUG)) {
            settings.problem(
                    DEBUG,
                    "debug only shapes the generated config, and config_file replaces it",
                    "remove debug, or add a debug exporter to " + configFile.get());
        }
        Path outputDir = settings.find(OUTPUT_DIR)
                .map(dir -> settings.baseDirectory().resolve(dir).normalize())
                .orElseGet(() -> defaultOutputDir(settings.baseDirectory(), settings.serviceName()));
        CollectorOutput.problemWith(outputDir)
                .ifPresent(problem -> settings.problem(OUTPUT_DIR, problem.message(), problem.fix()));
        return new OtelCollectorSettings(
                image,
                configFile,
                configPath,
                readPorts(settings),
                outputDir,
                settings.find(ENV).orElse(Map.of()),
                settings.get(DEBUG),
                export,
                settings.get(START_TIMEOUT));
    }

    @Override
    public List<String> images() {
        return List.of(image);
    }

    @Override
    public List<VolumeMount> volumes() {
        return List.of(
                new VolumeMount(configFile.orElse(outputDir.resolve(GENERATED_CONFIG)), configPath, true),
                // Mounted with a config_file too, so that file's exporters can write where tests read.
                new VolumeMount(CollectorOutput.received(outputDir), CollectorConfig.OUTPUT_MOUNT, false));
    }

    @Override
    public WaitPolicy waitPolicy() {
        return WaitPolicy.of(WaitPolicy.DEFAULT.interval(), startTimeout, 0);
    }

    /** The content of config_file: the collector loads it once, at start, so that an edit replaces a service kept for reuse. */
    @Override
    public String reuseFingerprint() {
        return FileFingerprint.of(configFile);
    }

    @Override
    public Service create(ServiceContext context) {
        return new OtelCollector(this, context);
    }

    /** The container; building as another user than root, the collector runs as that user, who owns its directory. */
    ContainerSpec containerSpec(CollectorOutput.BuildUser buildUser) {
        ContainerSpec.Builder spec = ContainerSpec.builder(image)
                .command(List.of("--config=" + configPath))
                .env(env)
                .ports(ports);
        List<Integer> listed = ports.stream().map(PortSpec::containerPort).toList();
        for (int port : List.of(GRPC_PORT, HTTP_PORT, HEALTH_PORT)) {
            if (!listed.contains(port)) {
                spec.port(PortSpec.container(port));
            }
        }
        volumes().forEach(spec::volume);
        buildUser.containerUser().ifPresent(spec::user);
        export.map(CollectorConfig::secretEnv).ifPresent(secrets -> secrets.forEach(spec::secretEnv));
        return spec.build();
    }

    /** The core image reads /etc/otelcol, contrib (and anything else) /etc/otelcol-contrib. */
    static String defaultConfigPath(String image) {
        String name = image.replaceFirst("@.*$", "").replaceFirst(":[^:/]*$", "");
        return name.equals(CORE_IMAGE) || name.endsWith("/" + CORE_IMAGE) ? CORE_CONFIG_PATH : CONTRIB_CONFIG_PATH;
    }

    /**
     * {@code target/cleanroom/otel/<service>} in the nearest directory, from the TOML file's own
     * upwards, that holds a {@code pom.xml}; the TOML file's directory when none does. So
     * {@code src/test/cleanroom/x.clnrm.toml} of a Maven project writes into the project's
     * {@code target/}, which {@code mvn clean} removes.
     */
    static Path defaultOutputDir(Path tomlDirectory, String serviceName) {
        Path base = tomlDirectory;
        for (Path dir = base; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))) {
                base = dir;
                break;
            }
        }
        return base.resolve("target").resolve("cleanroom").resolve("otel").resolve(serviceName);
    }

    private static Optional<Path> readConfigFile(Settings settings) {
        Optional<String> text = settings.find(CONFIG_FILE);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path file = settings.baseDirectory().resolve(text.get()).normalize().toAbsolutePath();
        if (!Files.exists(file)) {
            settings.problem(
                    CONFIG_FILE,
                    "collector config " + file + " does not exist",
                    "create it, or fix the path; relative paths start at " + settings.baseDirectory());
        } else if (!Files.isRegularFile(file)) {
            settings.problem(
                    CONFIG_FILE,
                    "collector config " + file + " is not a file",
                    "point config_file at the collector's YAML file");
        } else {
            unreadableByCollector(file)
                    .ifPresent(mode -> settings.problem(
                            CONFIG_FILE,
                            "collector config " + file + " is not readable by the collector, which runs as uid "
                                    + COLLECTOR_UID + " (mode " + mode + ")",
                            "make it world-readable: chmod o+r " + file));
            if (!mentionsHealthCheck(file)) {
                settings.problem(
                        CONFIG_FILE,
                        "collector config " + file + " does not enable the "
                                + "health_check extension, so the collector would never report ready",
                        "add extensions: {health_check: {endpoint: \"0.0.0.0:13133\"}} and list health_check "
                                + "under service.extensions");
            }
        }
        return Optional.of(file);
    }

    /**
     * The file's mode when uid 10001 cannot read it, judged by its POSIX permissions. Only the
     * file's own mode counts: it is bind-mounted by itself, so the daemon (root) walks the host
     * directories, never the collector.
     */
    static Optional<String> unreadableByCollector(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> mode = view.readAttributes().permissions();
            Object owner = Files.getAttribute(file, "unix:uid");
            boolean readable = mode.contains(PosixFilePermission.OTHERS_READ)
                    || (Integer.valueOf(COLLECTOR_UID).equals(owner) && mode.contains(PosixFilePermission.OWNER_READ));
            return readable ? Optional.empty() : Optional.of(PosixFilePermissions.toString(mode));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static boolean mentionsHealthCheck(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).contains("health_check");
        } catch (IOException e) {
            return true; // unreadable for us: the permission check speaks for it
        }
    }

    private static List<PortSpec> readPorts(Settings settings) {
        List<PortSpec> ports = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (String text : settings.find(PORTS).orElse(List.of())) {
            try {
                PortSpec port = PortSpec.parse(text);
                if (!seen.add(port.containerPort())) {
                    settings.problem(
                            PORTS,
                            "container port " + port.containerPort() + " is published twice",
                            "publish each container port once");
                }
                ports.add(port);
            } catch (IllegalArgumentException e) {
                settings.problem(PORTS, e.getMessage(), "");
            }
        }
        return List.copyOf(ports);
    }

    private static Optional<Export> readExport(Settings settings) {
        List<Key<?>> given = EXPORT_KEYS.stream().filter(settings::has).toList();
        if (given.isEmpty()) {
            return Optional.empty();
        }
        String type = settings.get(EXPORT_TYPE);
        if (!EXPORT_TYPES.contains(type)) {
            settings.problem(
                    EXPORT_TYPE,
                    "unknown exporter type \"" + type + "\"",
                    "write export.type = \"otlphttp\" (OTLP over HTTP) or \"otlp\" (OTLP over gRPC)");
        }
        Optional<String> endpoint = settings.find(EXPORT_ENDPOINT);
        if (endpoint.isEmpty()) {
            settings.problem(
                    given.get(0),
                    "export.endpoint is missing",
                    "add export.endpoint = \"http://backend:4318\" (a service of this file, by name)");
        } else if (!isHttpUrl(endpoint.get())) {
            settings.problem(
                    EXPORT_ENDPOINT,
                    "\"" + endpoint.get() + "\" is not an http:// or https:// URL",
                    "write e.g. export.endpoint = \"http://backend:" + ("otlp".equals(type) ? "4317" : "4318") + "\"");
        }
        // Header names are case-insensitive, and secret ones become environment variable names.
        Map<String, String> headers = settings.find(EXPORT_HEADERS).orElse(Map.of());
        Map<String, String> seen = new HashMap<>();
        for (String name : headers.keySet()) {
            if (!isHeaderName(name)) {
                settings.problem(
                        EXPORT_HEADERS,
                        "\"" + name + "\" is not a valid HTTP header name",
                        "use letters, digits and '-'");
            }
            String other = seen.putIfAbsent(CollectorConfig.headerEnv(name), name);
            if (other != null) {
                settings.problem(
                        EXPORT_HEADERS,
                        "\"" + other + "\" and \"" + name + "\" name the same header",
                        "keep one of them");
            }
        }
        String authHeader = settings.get(EXPORT_AUTH_HEADER);
        if (!isHeaderName(authHeader)) {
            settings.problem(
                    EXPORT_AUTH_HEADER,
                    "\"" + authHeader + "\" is not a valid HTTP header name",
                    "use letters, digits and '-', e.g. export.auth.header = \"x-api-key\"");
        } else if (settings.has(EXPORT_AUTH_VALUE) && seen.containsKey(CollectorConfig.headerEnv(authHeader))) {
            settings.problem(
                    EXPORT_HEADERS,
                    "header \"" + seen.get(CollectorConfig.headerEnv(authHeader))
                            + "\" is set by export.headers and by export.auth.value",
                    "keep one of them");
        }
        if (settings.has(EXPORT_AUTH_HEADER) && !settings.has(EXPORT_AUTH_VALUE)) {
            settings.problem(
                    EXPORT_AUTH_HEADER,
                    "export.auth.value is missing",
                    "add export.auth.value = \"...\" (masked in every log)");
        }
        return Optional.of(
                new Export(type, endpoint.orElse(""), headers, authHeader, settings.find(EXPORT_AUTH_VALUE)));
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isHeaderName(String name) {
        return name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    }
}
