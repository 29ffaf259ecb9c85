package dev.cleanroom.plugins.surrealdb;

import static dev.cleanroom.engine.config.ConfigKey.optional;
import static dev.cleanroom.engine.config.ConfigKey.secret;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.api.EngineLog;
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
import dev.cleanroom.engine.spi.WaitPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code surrealdb}: a SurrealDB server that accepts the configured root credentials and has the
 * namespace and database (strict on request) and the user's init statements in place before it
 * counts as ready.
 *
 * <p>Strict mode depends on the version: 1.x and 2.x take {@code --strict} at start; 3.x ignores
 * that flag and wants {@code DEFINE DATABASE .. STRICT}. The version comes from the image's tag
 * when it is one ({@code v2.3.7}); otherwise the server is started with {@code --strict} and
 * asked ({@code GET /version}) once it runs, and a 3.x server also gets the statement.
 */
public final class SurrealDbPlugin implements LegacyServicePlugin {

    public static final String TYPE = "surrealdb";
    static final int PORT = 8000;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Pattern VERSION = Pattern.compile("(?:surrealdb-)?v?(\\d+)\\.\\d+.*");

    static final ConfigSchema SCHEMA = ConfigSchema.of(
            optional("tag", ValueType.STRING, SurrealDbSettings.DEFAULT_TAG, "Tag of surrealdb/surrealdb to run"),
            optional("image", ValueType.STRING, "surrealdb/surrealdb:" + SurrealDbSettings.DEFAULT_TAG,
                    "Whole image reference; replaces surrealdb/surrealdb:<tag>"),
            optional("auth.user", ValueType.STRING, "root", "Root user the server is started with; tests sign in as it"),
            secret("auth.pass", "Password of auth.user (default \"root\"); masked in every log and report"),
            optional("namespace", ValueType.STRING, SurrealDbSettings.DEFAULT_NAME, "Namespace created before tests run"),
            optional("database", ValueType.STRING, SurrealDbSettings.DEFAULT_NAME, "Database created in the namespace"),
            optional("strict", ValueType.BOOLEAN, "false", "Strict mode: tables, fields, ... must be defined before use"),
            optional("storage", ValueType.STRING, "memory", "\"memory\", or a file store in the container: "
                    + "\"rocksdb\" or \"surrealkv\""),
            optional("init", ValueType.STRING_LIST, "", "SurrealQL statements run in the database once it is ready, "
                    + "after init_file, in order"),
            optional("init_file", ValueType.STRING, "", "A .surql file run in the database once it is ready; "
                    + "relative to the TOML file"),
            optional("start_timeout", ValueType.DURATION, "60s", "Time the server has to answer GET /health"));

    @Override
    public String serviceType() {
        return TYPE;
    }

    @Override
    public String description() {
        return "SurrealDB database";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        SurrealDbSettings.read(config, problems);
        return problems;
    }

    @Override
    public WaitPolicy waitPolicy(ServiceConfig config) {
        return WaitPolicy.of(WaitPolicy.DEFAULT.interval(), settings(config).startTimeout(), 0);
    }

    /** The container spec for a config: the same for the real image and the stand-in. */
    static ContainerSpec containerSpec(SurrealDbSettings settings) {
        List<String> command = new ArrayList<>(List.of("start", "--user", settings.user(), "--bind", "0.0.0.0:" + PORT));
        if (settings.strict() && settings.majorVersion().orElse(0) < 3) {
            // Unknown versions get it too: 3.x ignores it, and afterReady adds DEFINE DATABASE .. STRICT there.
            command.add("--strict");
        }
        command.add(settings.storage().path());
        return ContainerSpec.builder(settings.image())
                .command(command)
                // In the environment rather than the command line, where docker inspect and ps would show it.
                .secretEnv("SURREAL_PASS", settings.pass())
                .port(PortSpec.container(PORT))
                .build();
    }

    @Override
    public List<String> images(ServiceConfig config) {
        return List.of(settings(config).image());
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        SurrealDbSettings settings = settings(config);
        ContainerInfo container = backend.startContainer(containerSpec(settings));
        String address = container.address(PORT);
        return ServiceHandle.of(config.name(), container)
                .withEndpoint("url", "http://" + address)
                .withEndpoint("ws", "ws://" + address + "/rpc")
                .withEndpoint("namespace", settings.namespace())
                .withEndpoint("database", settings.database())
                .withEndpoint("user", settings.user());
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend) {
        return HealthProbes.http(handle.endpoints().get("url") + "/health", PROBE_TIMEOUT);
    }

    /** Signs in (wrong credentials fail the start here), then creates the namespace and database and runs init. */
    @Override
    public ServiceHandle afterReady(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        SurrealDbSettings settings = settings(config);
        SurrealDbClient client = new SurrealDbClient(handle.endpoints().get("url"));
        int major = majorVersion(settings, client, backend.log());
        client.signIn(settings.user(), settings.pass());
        createNamespaceAndDatabase(settings, client, major);
        int statements = runInitFile(settings, client, major) + runInit(settings, client, major);
        backend.log().info("signed in to SurrealDB " + major + ".x; namespace " + settings.namespace() + ", database "
                + settings.database() + (settings.strict() ? " (strict)" : "")
                + (statements > 0 ? ", " + statements + " init statement(s) run" : ""));
        return handle;
    }

    private static int majorVersion(SurrealDbSettings settings, SurrealDbClient client, EngineLog log)
            throws CleanroomException {
        OptionalInt fromTag = settings.majorVersion();
        if (fromTag.isPresent()) {
            return fromTag.getAsInt();
        }
        String version = client.version();
        Matcher m = VERSION.matcher(version);
        if (m.matches()) {
            log.debug("SurrealDB of image " + settings.image() + " is " + version);
            return Integer.parseInt(m.group(1));
        }
        throw new CleanroomException("Cannot tell the SurrealDB version of image " + settings.image()
                + ": GET /version answered \"" + version + "\", not surrealdb-<major>.<minor>.<patch>. Perhaps you "
                + "should run a released image, e.g. tag = \"" + SurrealDbSettings.DEFAULT_TAG + "\"");
    }

    private static void createNamespaceAndDatabase(SurrealDbSettings settings, SurrealDbClient client, int major)
            throws CleanroomException {
        String statements = settings.defineStatements(major);
        String what = "SurrealDB refused to create namespace \"" + settings.namespace() + "\" and database \""
                + settings.database() + "\"";
        try {
            for (SurrealDbClient.Result result : client.sql(statements, Optional.empty(), Optional.empty(), major)) {
                if (!result.ok()) {
                    throw new CleanroomException(what + ": " + result.message() + "\n    | " + statements);
                }
            }
        } catch (SurrealDbClient.Refused e) {
            throw new CleanroomException(what + ": " + e.getMessage() + "\n    | " + statements, e);
        }
    }

    private static int runInitFile(SurrealDbSettings settings, SurrealDbClient client, int major)
            throws CleanroomException {
        if (settings.initFile().isEmpty()) {
            return 0;
        }
        String text;
        try {
            text = Files.readString(settings.initFile().get());
        } catch (IOException e) {
            throw new CleanroomException("Cannot read init_file " + settings.initFile().get() + ": " + e.getMessage(), e);
        }
        String where = "init_file " + settings.initFile().get().getFileName();
        List<String> statements = SurqlStatements.split(text);
        List<SurrealDbClient.Result> results;
        try {
            results = client.sql(text, Optional.of(settings.namespace()), Optional.of(settings.database()), major);
        } catch (SurrealDbClient.Refused e) {
            throw new CleanroomException(where + " was rejected by SurrealDB: " + e.getMessage(), e);
        }
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).ok()) {
                String statement = i < statements.size() && statements.size() == results.size()
                        ? "\n    | " + statements.get(i) : "";
                throw new CleanroomException(where + ": statement " + (i + 1) + " was rejected by SurrealDB: "
                        + results.get(i).message() + statement);
            }
        }
        return results.size();
    }

    private static int runInit(SurrealDbSettings settings, SurrealDbClient client, int major) throws CleanroomException {
        List<String> init = settings.init();
        for (int i = 0; i < init.size(); i++) {
            String where = "init statement " + (i + 1) + " was rejected by SurrealDB: ";
            String shown = "\n    | " + init.get(i).strip().replaceAll("\\s+", " ");
            List<SurrealDbClient.Result> results;
            try {
                results = client.sql(init.get(i), Optional.of(settings.namespace()), Optional.of(settings.database()), major);
            } catch (SurrealDbClient.Refused e) {
                throw new CleanroomException(where + e.getMessage() + shown, e);
            }
            for (SurrealDbClient.Result result : results) {
                if (!result.ok()) {
                    throw new CleanroomException(where + result.message() + shown);
                }
            }
        }
        return init.size();
    }

    private static SurrealDbSettings settings(ServiceConfig config) {
        // Validated before start, so problems cannot occur here.
        return SurrealDbSettings.read(config, new ArrayList<>());
    }
}
