package dev.cleanroom.plugins.otel;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.spi.PortSpec;
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
 * An {@code otel_collector} service's settings, read from its {@link ServiceConfig} with every
 * problem collected, so validation and start share one reading.
 *
 * @param configFile the user's collector config on the host; empty means "generate one"
 * @param configPath where the image reads its config inside the container
 * @param outputDir host directory the generated config's file exporters write into
 */
record OtelCollectorSettings(String image, Optional<Path> configFile, String configPath, List<PortSpec> ports,
                             Path outputDir, Map<String, String> env, boolean debug, Optional<Export> export,
                             Duration startTimeout) {

    static final String CONTRIB_IMAGE = "otel/opentelemetry-collector-contrib";
    static final String CORE_IMAGE = "otel/opentelemetry-collector";
    /** See the package documentation for why this tag. */
    static final String DEFAULT_TAG = "0.128.0";
    static final String DEFAULT_IMAGE = CONTRIB_IMAGE + ":" + DEFAULT_TAG;
    static final String CONTRIB_CONFIG_PATH = "/etc/otelcol-contrib/config.yaml";
    static final String CORE_CONFIG_PATH = "/etc/otelcol/config.yaml";
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    /** The uid both upstream images run as; a mounted config must be readable by it. */
    static final int COLLECTOR_UID = 10001;
    static final List<String> EXPORT_TYPES = List.of("otlp", "otlphttp");

    /**
     * Where received telemetry goes besides the local files.
     *
     * @param authHeader the header carrying {@code authValue}, when there is one
     * @param authValue a secret: passed as an environment variable, never written to the config
     */
    record Export(String type, String endpoint, Map<String, String> headers, String authHeader,
                  Optional<String> authValue) {
    }

    static OtelCollectorSettings read(ServiceConfig config, List<ConfigProblem> problems) {
        String image = config.string("image", DEFAULT_IMAGE);
        if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            problems.add(config.problem("image", "\"" + image + "\" is not an image reference",
                    "write e.g. image = \"" + DEFAULT_IMAGE + "\""));
        }
        String configPath = config.string("config_path").orElse(defaultConfigPath(image));
        if (!configPath.startsWith("/")) {
            problems.add(config.problem("config_path", "\"" + configPath + "\" is not an absolute path",
                    "write the path the image reads its config from, e.g. config_path = \"" + CONTRIB_CONFIG_PATH + "\""));
            configPath = defaultConfigPath(image);
        }
        Optional<Path> configFile = readConfigFile(config, problems);
        Optional<Export> export = readExport(config, problems);
        if (configFile.isPresent() && export.isPresent()) {
            problems.add(config.problem("export.endpoint", "export.* only shapes the generated config, and config_file "
                    + "replaces it", "remove export.*, or declare the exporter in " + configFile.get()));
        }
        if (configFile.isPresent() && config.has("debug")) {
            problems.add(config.problem("debug", "debug only shapes the generated config, and config_file replaces it",
                    "remove debug, or add a debug exporter to " + configFile.get()));
        }
        Path outputDir = config.string("output_dir").map(dir -> config.baseDirectory().resolve(dir).normalize())
                .orElseGet(() -> defaultOutputDir(config));
        CollectorOutput.problemWith(outputDir).ifPresent(problem ->
                problems.add(config.problem("output_dir", problem.message(), problem.fix())));
        return new OtelCollectorSettings(image, configFile, configPath, readPorts(config, problems), outputDir,
                config.stringMap("env"), config.bool("debug", false), export,
                config.duration("start_timeout", DEFAULT_START_TIMEOUT));
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
    static Path defaultOutputDir(ServiceConfig config) {
        Path base = config.baseDirectory();
        for (Path dir = base; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))) {
                base = dir;
                break;
            }
        }
        return base.resolve("target").resolve("cleanroom").resolve("otel").resolve(config.name());
    }

    private static Optional<Path> readConfigFile(ServiceConfig config, List<ConfigProblem> problems) {
        Optional<String> text = config.string("config_file");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path file = config.baseDirectory().resolve(text.get()).normalize().toAbsolutePath();
        if (!Files.exists(file)) {
            problems.add(config.problem("config_file", "collector config " + file + " does not exist",
                    "create it, or fix the path; relative paths start at " + config.baseDirectory()));
        } else if (!Files.isRegularFile(file)) {
            problems.add(config.problem("config_file", "collector config " + file + " is not a file",
                    "point config_file at the collector's YAML file"));
        } else {
            unreadableByCollector(file).ifPresent(mode -> problems.add(config.problem("config_file",
                    "collector config " + file + " is not readable by the collector, which runs as uid "
                            + COLLECTOR_UID + " (mode " + mode + ")", "make it world-readable: chmod o+r " + file)));
            if (!mentionsHealthCheck(file)) {
                problems.add(config.problem("config_file", "collector config " + file + " does not enable the "
                        + "health_check extension, so the collector would never report ready",
                        "add extensions: {health_check: {endpoint: \"0.0.0.0:13133\"}} and list health_check "
                                + "under service.extensions"));
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

    private static List<PortSpec> readPorts(ServiceConfig config, List<ConfigProblem> problems) {
        List<PortSpec> ports = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (String text : config.stringList("ports")) {
            try {
                PortSpec port = PortSpec.parse(text);
                if (!seen.add(port.containerPort())) {
                    problems.add(config.problem("ports", "container port " + port.containerPort() + " is published twice",
                            "publish each container port once"));
                }
                ports.add(port);
            } catch (IllegalArgumentException e) {
                problems.add(config.problem("ports", e.getMessage(), ""));
            }
        }
        return ports;
    }

    private static Optional<Export> readExport(ServiceConfig config, List<ConfigProblem> problems) {
        List<String> given = List.of("export.type", "export.endpoint", "export.headers", "export.auth.header",
                "export.auth.value").stream().filter(config::has).toList();
        if (given.isEmpty()) {
            return Optional.empty();
        }
        String type = config.string("export.type", "otlphttp");
        if (!EXPORT_TYPES.contains(type)) {
            problems.add(config.problem("export.type", "unknown exporter type \"" + type + "\"",
                    "write export.type = \"otlphttp\" (OTLP over HTTP) or \"otlp\" (OTLP over gRPC)"));
        }
        Optional<String> endpoint = config.string("export.endpoint");
        if (endpoint.isEmpty()) {
            problems.add(config.problem(given.get(0), "export.endpoint is missing",
                    "add export.endpoint = \"http://backend:4318\" (a service of this file, by name)"));
        } else if (!isHttpUrl(endpoint.get())) {
            problems.add(config.problem("export.endpoint", "\"" + endpoint.get() + "\" is not an http:// or https:// URL",
                    "write e.g. export.endpoint = \"http://backend:" + ("otlp".equals(type) ? "4317" : "4318") + "\""));
        }
        // Header names are case-insensitive, and secret ones become environment variable names.
        Map<String, String> seen = new HashMap<>();
        for (String name : config.stringMap("export.headers").keySet()) {
            if (!isHeaderName(name)) {
                problems.add(config.problem("export.headers", "\"" + name + "\" is not a valid HTTP header name",
                        "use letters, digits and '-'"));
            }
            String other = seen.putIfAbsent(CollectorConfig.headerEnv(name), name);
            if (other != null) {
                problems.add(config.problem("export.headers", "\"" + other + "\" and \"" + name + "\" name the same "
                        + "header", "keep one of them"));
            }
        }
        String authHeader = config.string("export.auth.header", "authorization");
        if (!isHeaderName(authHeader)) {
            problems.add(config.problem("export.auth.header", "\"" + authHeader + "\" is not a valid HTTP header name",
                    "use letters, digits and '-', e.g. export.auth.header = \"x-api-key\""));
        } else if (config.has("export.auth.value") && seen.containsKey(CollectorConfig.headerEnv(authHeader))) {
            problems.add(config.problem("export.headers", "header \"" + seen.get(CollectorConfig.headerEnv(authHeader))
                    + "\" is set by export.headers and by export.auth.value", "keep one of them"));
        }
        if (config.has("export.auth.header") && !config.has("export.auth.value")) {
            problems.add(config.problem("export.auth.header", "export.auth.value is missing",
                    "add export.auth.value = \"...\" (masked in every log)"));
        }
        return Optional.of(new Export(type, endpoint.orElse(""), config.stringMap("export.headers"), authHeader,
                config.string("export.auth.value")));
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
