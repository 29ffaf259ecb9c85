package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.ParserFixture.FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.SourcePosition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A complete, valid file becomes the expected records: order, typed values, positions. */
class TomlConfigParserValidFileTest {

    private static final String TOML = """
            [meta]
            name = "orders"
            description = "Order service against its database"

            [services.web]
            type = "box"
            image = "nginx:1.27"
            depends_on = ["db", "cache"]
            count = 2
            enabled = true
            ratio = 0.5
            wait = "1500ms"
            command = ["nginx", "-g", "daemon off;"]
            env.MODE = "test"
            env.WORKERS = 4

            [services.db]
            plugin = "box"
            image = "postgres:16"
            wait = 90

            [services.db.auth]
            user = "root"
            pass = "s3cret"

            [services.cache]
            type = "empty"

            [[steps]]
            name = "ping"
            service = "web"
            command = ["curl", "-fsS", "http://localhost/"]
            expected_output_regex = '^ok\\s*$'
            expected_exit_code = 7
            timeout = "2m"
            continue_on_failure = true
            env = { LANG = "C", DEBUG = 1 }
            workdir = "/srv"

            [[steps]]
            name = "query"
            service = "db"
            command = ["psql", "-c", "select 1"]
            """;

    /** Parsed afresh for each test, so a test that (wrongly) manages to modify it cannot affect others. */
    private TestFile file;

    @BeforeEach
    void parse() throws ConfigException {
        file = ParserFixture.parse(TOML);
    }

    @Test
    void metaNamesTheFile() {
        assertThat(file.path()).isEqualTo(FILE);
        assertThat(file.name()).isEqualTo("orders");
        assertThat(file.description()).isEqualTo("Order service against its database");
    }

    @Test
    void servicesKeepFileOrder() {
        assertThat(file.serviceNames()).containsExactly("web", "db", "cache");
        assertThat(file.services().keySet()).containsExactly("web", "db", "cache");
    }

    @Test
    void serviceValuesAreTyped() {
        // Arrange
        ServiceConfig web = file.services().get("web");

        // Act + Assert
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.type()).isEqualTo("box");
        assertThat(web.dependsOn()).containsExactly("db", "cache");
        assertThat(web.string("image")).contains("nginx:1.27");
        assertThat(web.integer("count")).contains(2L);
        assertThat(web.bool("enabled", false)).isTrue();
        assertThat(web.number("ratio")).contains(0.5);
        assertThat(web.duration("wait")).contains(Duration.ofMillis(1500));
        assertThat(web.stringList("command")).containsExactly("nginx", "-g", "daemon off;");
        assertThat(web.stringMap("env")).containsOnly(entry("MODE", "test"), entry("WORKERS", "4"));
    }

    @Test
    void engineKeysAreNotServiceValues() {
        // Arrange
        ServiceConfig web = file.services().get("web");

        // Act + Assert
        assertThat(web.has("type")).isFalse();
        assertThat(web.has("depends_on")).isFalse();
        assertThat(web.has("plugin")).isFalse();
    }

    @Test
    void pluginNamesTheTypeAndNestedTablesBecomeDottedKeys() {
        // Arrange
        ServiceConfig db = file.services().get("db");

        // Act + Assert
        assertThat(db.type()).isEqualTo("box");
        assertThat(db.duration("wait")).contains(Duration.ofSeconds(90));
        assertThat(db.string("auth.user")).contains("root");
        assertThat(db.string("auth.pass")).contains("s3cret");
        assertThat(db.dependsOn()).isEmpty();
    }

    @Test
    void absentOptionalKeysReadAsTheirFallbacks() {
        // Arrange
        ServiceConfig db = file.services().get("db");

        // Act + Assert
        assertThat(db.has("count")).isFalse();
        assertThat(db.integer("count")).isEmpty();
        assertThat(db.integer("count", 3)).isEqualTo(3);
        assertThat(db.bool("enabled", true)).isTrue();
        assertThat(db.stringList("command")).isEmpty();
        assertThat(db.stringMap("env")).isEmpty();
    }

    @Test
    void serviceWithAnEmptySchemaHasNoValues() {
        ServiceConfig cache = file.services().get("cache");

        assertThat(cache.type()).isEqualTo("empty");
        assertThat(cache.has("image")).isFalse();
    }

    @Test
    void positionsPointAtTablesAndKeys() {
        // Arrange
        ServiceConfig web = file.services().get("web");
        ServiceConfig db = file.services().get("db");

        // Act + Assert
        assertThat(web.position()).isEqualTo(new SourcePosition(FILE, 5, 1));
        assertThat(web.position("image")).isEqualTo(new SourcePosition(FILE, 7, 1));
        assertThat(web.position("command")).isEqualTo(new SourcePosition(FILE, 13, 1));
        assertThat(db.position()).isEqualTo(new SourcePosition(FILE, 17, 1));
        assertThat(db.position("auth.user")).isEqualTo(new SourcePosition(FILE, 23, 1));
        assertThat(db.position("count"))
                .as("not written: falls back to the table")
                .isEqualTo(db.position());
        assertThat(web.file()).isEqualTo(FILE);
    }

    @Test
    void problemsMadeByPluginsNameTheServiceKeyAndItsLine() {
        // Arrange
        ServiceConfig web = file.services().get("web");

        // Act
        ConfigProblem problem = web.problem("image", "is not allowed here", "remove it");

        // Assert
        assertThat(problem).hasToString("test.clnrm.toml:7:1: services.web.image: is not allowed here (remove it)");
    }

    @Test
    void stepsKeepFileOrderWithEveryFieldTyped() {
        // Arrange
        StepConfig ping = file.steps().get(0);

        // Act + Assert
        assertThat(file.steps()).extracting(StepConfig::name).containsExactly("ping", "query");
        assertThat(ping.service()).isEqualTo("web");
        assertThat(ping.command()).containsExactly("curl", "-fsS", "http://localhost/");
        assertThat(ping.expectedOutput()).hasValueSatisfying(p -> {
            assertThat(p.pattern()).isEqualTo("^ok\\s*$");
            assertThat(p.matcher("starting\nok  \ndone").find()).as("multiline").isTrue();
        });
        assertThat(ping.expectedExitCode()).isEqualTo(7);
        assertThat(ping.timeout()).contains(Duration.ofMinutes(2));
        assertThat(ping.continueOnFailure()).isTrue();
        assertThat(ping.env()).containsOnly(entry("LANG", "C"), entry("DEBUG", "1"));
        assertThat(ping.workdir()).contains("/srv");
        assertThat(ping.position()).isEqualTo(new SourcePosition(FILE, 29, 1));
    }

    @Test
    void stepWithoutOptionalFieldsGetsEmptyOptionalsAndDefaults() {
        // Arrange
        StepConfig query = file.steps().get(1);

        // Act + Assert
        assertThat(query.service()).isEqualTo("db");
        assertThat(query.command()).isEqualTo(List.of("psql", "-c", "select 1"));
        assertThat(query.expectedOutput()).isEmpty();
        assertThat(query.expectedExitCode()).isZero();
        assertThat(query.timeout()).isEmpty();
        assertThat(query.continueOnFailure()).isFalse();
        assertThat(query.env()).isEmpty();
        assertThat(query.workdir()).isEmpty();
        assertThat(query.position()).isEqualTo(new SourcePosition(FILE, 40, 1));
    }

    @Test
    void parsedServicesAndStepsCannotBeModified() {
        assertThat(file.services()).isUnmodifiable();
        assertThat(file.steps()).isUnmodifiable();
        assertThat(file.services().get("web").dependsOn()).isUnmodifiable();
        assertThat(file.steps().get(0).command()).isUnmodifiable();
        assertThat(file.steps().get(0).env()).isUnmodifiable();
    }

    @Test
    void listAndMapValuesOfAServiceCannotBeModified() {
        // Arrange: one ServiceConfig is shared by the plugin's validate, start and healthCheck
        ServiceConfig web = file.services().get("web");

        // Act + Assert
        assertThat(web.stringList("command")).isUnmodifiable();
        assertThat(web.stringMap("env")).isUnmodifiable();
    }
}
