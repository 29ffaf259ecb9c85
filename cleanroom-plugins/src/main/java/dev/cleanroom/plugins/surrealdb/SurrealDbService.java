package dev.cleanroom.plugins.surrealdb;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.plugins.container.ContainerService;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of a {@code surrealdb} service: its container, and the client that prepares its database.
 *
 * <p>Reuse across builds adopts the running server as it is (no reset): its namespace, database
 * and init statements were run by the build that started it, and the definition hash guarantees
 * they are the same ones; running them again could fail (a CREATE of a record that exists) and
 * emptying the database would throw away what reuse keeps, e.g. a large init_file's data. So
 * what the tests of the last build wrote carries over, as in any reused database.
 */
final class SurrealDbService extends ContainerService {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Pattern VERSION = Pattern.compile("(?:surrealdb-)?v?(\\d+)\\.\\d+.*");

    private final SurrealDbSettings settings;

    private String healthUrl;

    SurrealDbService(SurrealDbSettings settings, ServiceContext context) {
        super(context);
        this.settings = settings;
    }

    @Override
    protected ContainerInfo startContainer() throws CleanroomException {
        return context.containers().startContainer(settings.containerSpec());
    }

    @Override
    protected ServiceHandle handOut(ContainerInfo container) {
        String address = container.address(SurrealDbSettings.PORT);
        healthUrl = "http://" + address + "/health";
        return ServiceHandle.of(context.serviceName(), container)
                .withEndpoint("url", "http://" + address)
                .withEndpoint("ws", "ws://" + address + "/rpc")
                .withEndpoint("namespace", settings.namespace())
                .withEndpoint("database", settings.database())
                .withEndpoint("user", settings.user());
    }

    @Override
    public HealthStatus checkHealth() {
        return HealthProbes.http(healthUrl, PROBE_TIMEOUT);
    }

    /** Signs in (wrong credentials fail the start here), then creates the namespace and database and runs init. */
    @Override
    public void afterReady() throws CleanroomException {
        SurrealDbClient client = new SurrealDbClient(handle().endpoints().get("url"));
        int major = majorVersion(client);
        client.signIn(settings.user(), settings.pass());
        createNamespaceAndDatabase(client, major);
        int statements = runInitFile(client, major) + runInit(client, major);
        context.log()
                .info("signed in to SurrealDB " + major + ".x; namespace " + settings.namespace() + ", database "
                        + settings.database() + (settings.strict() ? " (strict)" : "")
                        + (statements > 0 ? ", " + statements + " init statement(s) run" : ""));
    }

    private int majorVersion(SurrealDbClient client) throws CleanroomException {
        OptionalInt fromTag = settings.majorVersion();
        if (fromTag.isPresent()) {
            return fromTag.getAsInt();
        }
        String version = client.version();
        Matcher m = VERSION.matcher(version);
        if (m.matches()) {
            return Integer.parseInt(m.group(1));
        }
        throw new CleanroomException("Cannot tell the SurrealDB version of image " + settings.image()
                + ": GET /version answered \"" + version + "\", not surrealdb-<major>.<minor>.<patch>. Perhaps you "
                + "should run a released image, e.g. tag = \"" + SurrealDbSettings.DEFAULT_TAG + "\"");
    }

    private void createNamespaceAndDatabase(SurrealDbClient client, int major) throws CleanroomException {
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

    private int runInitFile(SurrealDbClient client, int major) throws CleanroomException {
        if (settings.initFile().isEmpty()) {
            return 0;
        }
        String text;
        try {
            text = Files.readString(settings.initFile().get());
        } catch (IOException e) {
            throw new CleanroomException(
                    "Cannot read init_file " + settings.initFile().get() + ": " + e.getMessage(), e);
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
                        ? "\n    | " + statements.get(i)
                        : "";
                throw new CleanroomException(where + ": statement " + (i + 1) + " was rejected by SurrealDB: "
                        + results.get(i).message() + statement);
            }
        }
        return results.size();
    }

    private int runInit(SurrealDbClient client, int major) throws CleanroomException {
        List<String> init = settings.init();
        for (int i = 0; i < init.size(); i++) {
            String where = "init statement " + (i + 1) + " was rejected by SurrealDB: ";
            String shown = "\n    | " + init.get(i).strip().replaceAll("\\s+", " ");
            List<SurrealDbClient.Result> results;
            try {
                results = client.sql(
                        init.get(i), Optional.of(settings.namespace()), Optional.of(settings.database()), major);
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
}
