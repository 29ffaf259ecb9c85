package dev.cleanroom.plugins.surrealdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult.Status;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.testing.PluginDefinitions;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.StubBackend;
import dev.cleanroom.engine.testing.StubServiceContext;
import dev.cleanroom.plugins.DockerCli;
import dev.cleanroom.plugins.ReuseBuilds;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * surrealdb on a real Docker daemon, with the stand-in image (scripts/fixtures/surrealdb.sh):
 * the real SurrealDB 3.0 engine behind SurrealDB's HTTP interface. Its tag says no version, so
 * these tests also cover asking the server for it.
 */
class SurrealDbIT {

    static final String STANDIN = "cleanroom/surrealdb-standin:fixture";

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();
    private final RecordingLog log = new RecordingLog();
    private final CleanroomEngine engine =
            CleanroomEngine.builder().project(project).log(log).build();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void nothingOfTheRunRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    private Path write(String toml) throws IOException {
        for (String resource : List.of("schema.surql", "broken.surql")) {
            try (var in = getClass().getResourceAsStream("/surrealdb/" + resource)) {
                Files.write(dir.resolve(resource), in.readAllBytes());
            }
        }
        Path file = dir.resolve("db.clnrm.toml");
        Files.writeString(file, toml.replace("STANDIN", STANDIN));
        return file;
    }

    @Test
    void seedStepRunsAsWrittenAgainstAnAuthenticatedStrictDatabase() throws Exception {
        // Act
        RunReport report = engine.run(engine.load(write("""
                [services.db]
                type = "surrealdb"
                image = "STANDIN"
                auth.user = "root"
                auth.pass = "root"
                namespace = "test"
                database = "test"
                strict = true
                init_file = "schema.surql"

                [[steps]]
                name = "query_db"
                service = "db"
                command = ["surreal", "sql", "--conn", "http://localhost:8000", "--user", "root", "--pass", "root", "--ns", "test", "--db", "test", "--query", "SELECT * FROM test"]
                expected_output_regex = "from schema.surql; with a semicolon"
                """)));

        // Assert
        assertThat(report.passed()).as(report.steps().toString()).isTrue();
        assertThat(report.steps())
                .singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(Status.PASSED));
        assertThat(log.lines())
                .anySatisfy(line -> assertThat(line)
                        .matches("INFO Service db \\(surrealdb, " + STANDIN
                                + ", sha256:[0-9a-f]{64}\\) ready in [0-9.]+ (ms|s) at http://127\\.0\\.0\\.1:\\d+"));
        assertThat(log.lines())
                .contains("INFO [db] signed in to SurrealDB 3.x; namespace test, database test (strict), "
                        + "4 init statement(s) run");
    }

    @Test
    void testWritesAndReadsThroughTheExportedEndpointAndStrictModeRejectsAnUndefinedTable() throws Exception {
        // Arrange
        Path file = write("""
                [services.database]
                type = "surrealdb"
                image = "STANDIN"
                auth.user = "admin"
                auth.pass = "s3cret-pass"
                namespace = "shop"
                database = "orders"
                strict = true
                init_file = "schema.surql"
                """);

        try (Environment environment = engine.start(engine.load(file))) {
            Map<String, String> properties = environment.exportedProperties();
            String url = properties.get("cleanroom.database.url");

            // Act
            List<Map<String, Object>> written =
                    sql(properties, "CREATE person:tobie SET name = 'Tobie'; SELECT name FROM person:tobie;");
            List<Map<String, Object>> ghost = sql(properties, "CREATE ghost SET name = 'nobody';");

            // Assert
            assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(properties)
                    .containsEntry("cleanroom.database.ws", url.replace("http://", "ws://") + "/rpc")
                    .containsEntry("cleanroom.database.namespace", "shop")
                    .containsEntry("cleanroom.database.database", "orders")
                    .containsEntry("cleanroom.database.user", "admin");
            assertThat(properties.values()).noneMatch(v -> v.contains("s3cret-pass"));
            assertThat(written).extracting(r -> r.get("status")).containsExactly("OK", "OK");
            assertThat(written.get(1).get("result")).isEqualTo(List.of(Map.of("name", "Tobie")));
            assertThat(ghost).singleElement().satisfies(r -> {
                assertThat(r.get("status")).isEqualTo("ERR");
                assertThat(r.get("result")).isEqualTo("The table 'ghost' does not exist");
            });
        }
    }

    @Test
    void aSecondBuildWithReuseAdoptsTheServerWithWhatTheFirstWrote() throws Exception {
        // Arrange: the first build's tests write a record, and the build leaves the server running
        Path file = write("""
                [services.database]
                type = "surrealdb"
                image = "STANDIN"
                auth.user = "root"
                auth.pass = "root"
                namespace = "shop"
                database = "orders"
                strict = true
                init_file = "schema.surql"
                """);

        // Act + Assert: the same database, its data carried over (surrealdb has no reset)
        new ReuseBuilds(project, dir)
                .roundTrip(
                        file,
                        "database",
                        "surrealdb",
                        environment -> assertThat(sql(
                                        environment.exportedProperties(), "CREATE person:tobie SET name = 'Tobie';"))
                                .extracting(r -> r.get("status"))
                                .containsExactly("OK"),
                        (reused, log) -> {
                            List<Map<String, Object>> read =
                                    sql(reused.exportedProperties(), "SELECT name FROM person:tobie;");
                            assertThat(read).extracting(r -> r.get("status")).containsExactly("OK");
                            assertThat(read.get(0).get("result")).isEqualTo(List.of(Map.of("name", "Tobie")));
                        });
    }

    @Test
    void wrongPasswordFailsFastWithAClearMessage() throws Exception {
        // Arrange: a server whose root user has another password than the one the test is given
        Path file = write("""
                [services.database]
                type = "surrealdb"
                image = "STANDIN"
                auth.user = "root"
                auth.pass = "right-pass"
                """);
        try (Environment environment = engine.start(engine.load(file))) {
            StartedService database = environment.service("database").orElseThrow();
            Service wrong = PluginDefinitions.define(
                            new SurrealDbPlugin(),
                            "database",
                            Map.of("image", STANDIN, "auth.user", "root", "auth.pass", "wrong-pass"),
                            Set.of("database"))
                    .create(new StubServiceContext("database", runningAs(database.handle())));
            wrong.start();

            // Act
            long begin = System.nanoTime();
            Throwable thrown = catchThrowable(wrong::afterReady);
            long tookMs = (System.nanoTime() - begin) / 1_000_000;

            // Assert
            assertThat(thrown)
                    .isInstanceOf(CleanroomException.class)
                    .hasMessage("SurrealDB refused the sign-in of user "
                            + "\"root\" with the password of auth.pass (HTTP 401: There was a problem with authentication). "
                            + "Perhaps you should check auth.user and auth.pass: they must name the server's root user and its "
                            + "password");
            assertThat(thrown.getMessage()).doesNotContain("wrong-pass").doesNotContain("right-pass");
            // Not a speed measure: "fast" means no retrying until the 60 s start timeout.
            assertThat(tookMs).isLessThan(10_000);
        }
    }

    @Test
    void invalidInitStatementFailsTheStartNamingItAndLeavesNothingBehind() throws Exception {
        // Arrange
        Path file = write("""
                [services.database]
                type = "surrealdb"
                image = "STANDIN"
                strict = true
                init = ["DEFINE TABLE person SCHEMALESS", "CREATE ghost SET name = 'nobody'"]
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(engine.load(file)))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith("Service database (surrealdb, " + STANDIN + ") failed after it became healthy: "
                        + "init statement 2 was rejected by SurrealDB: The table 'ghost' does not exist\n"
                        + "    | CREATE ghost SET name = 'nobody'\n")
                .hasMessageEndingWith("were removed.");
    }

    @Test
    void invalidStatementInTheInitFileIsShownWithItsNumber() throws Exception {
        // Arrange
        Path file = write("""
                [services.database]
                type = "surrealdb"
                image = "STANDIN"
                init_file = "broken.surql"
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(engine.load(file)))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining(
                        "failed after it became healthy: init_file broken.surql: statement 2 was rejected "
                                + "by SurrealDB: ")
                .hasMessageContaining("\n    | CREATE person:one SET age = 'forty'\n");
    }

    @Test
    void healthCheckWhileRunningStaysHealthyAndLeavesTheDatabaseUsable() throws Exception {
        // Arrange
        Path file = write("""
                [services.database]
                type = "surrealdb"
                image = "STANDIN"
                storage = "rocksdb"
                """);
        try (Environment environment = engine.start(engine.load(file))) {
            StartedService database = environment.service("database").orElseThrow();
            Service service = PluginDefinitions.define(
                            new SurrealDbPlugin(),
                            "database",
                            Map.of("image", STANDIN, "storage", "rocksdb"),
                            Set.of("database"))
                    .create(new StubServiceContext("database", runningAs(database.handle())));
            service.start();

            // Act: the check the engine repeats while the service runs. Its speed is row 11c of
            // bench/health-check-latency.sh: tests never time things on these shared machines.
            List<HealthStatus> checks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                checks.add(service.checkHealth());
            }

            // Assert
            assertThat(checks)
                    .allSatisfy(status ->
                            assertThat(status.isHealthy()).as(status.detail()).isTrue());
            assertThat(sql(environment.exportedProperties(), "CREATE kept:1; SELECT * FROM kept;"))
                    .extracting(r -> r.get("status"))
                    .containsExactly("OK", "OK");
        }
    }

    /** POST /sql as a test would: the exported url, namespace, database and user, and the password it knows. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> sql(Map<String, String> properties, String query) throws Exception {
        String service = properties.keySet().stream()
                .filter(k -> k.endsWith(".url"))
                .findFirst()
                .orElseThrow()
                .replaceAll("^cleanroom\\.|\\.url$", "");
        String prefix = "cleanroom." + service + ".";
        String pass = "admin".equals(properties.get(prefix + "user")) ? "s3cret-pass" : "root";
        String basic = Base64.getEncoder()
                .encodeToString((properties.get(prefix + "user") + ":" + pass).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(properties.get(prefix + "url") + "/sql"))
                        .header("Authorization", "Basic " + basic)
                        .header("Accept", "application/json")
                        .header("surreal-ns", properties.get(prefix + "namespace"))
                        .header("surreal-db", properties.get(prefix + "database"))
                        .POST(HttpRequest.BodyPublishers.ofString(query))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return (List<Map<String, Object>>) Json.parse(answer.body());
    }

    /**
     * For calling a service's HTTP-only steps directly against a server the engine runs: its
     * "start" hands out that server's container, which stays the engine's to stop.
     */
    private static StubBackend runningAs(ServiceHandle server) {
        return new StubBackend()
                .onStart((spec, planned) ->
                        new ContainerInfo(server.containerId(), server.name(), server.host(), server.ports()));
    }
}
