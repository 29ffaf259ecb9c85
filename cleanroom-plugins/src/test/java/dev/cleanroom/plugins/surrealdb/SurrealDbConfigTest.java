package dev.cleanroom.plugins.surrealdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.SettingsReader;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.WaitPolicy;
import dev.cleanroom.engine.testing.StubBackend;
import dev.cleanroom.engine.testing.StubServiceContext;
import dev.cleanroom.plugins.TomlFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code surrealdb} accepts and refuses, and the container it asks for, through the real
 * parser and the plugin found by ServiceLoader. Problems are compared as users read them, with
 * the temporary file's path shown as {@code db.clnrm.toml}.
 */
class SurrealDbConfigTest {

    /** Lines 1-2; keys appended after it start on line 3. */
    private static final String HEAD = "[services.database]\ntype = \"surrealdb\"\n";

    /** The issue's example. */
    private static final String ISSUE_EXAMPLE = HEAD + """
            auth.user = "root"
            auth.pass = "root"
            namespace = "test"
            database = "test"
            strict = true
            """;

    @TempDir
    Path dir;

    private Path file;
    private TomlFixture fixture;

    @BeforeEach
    void setUp() {
        file = dir.resolve("db.clnrm.toml");
        fixture = new TomlFixture(file.getParent(), file.getFileName().toString());
    }

    // --- discovery and schema ---------------------------------------------------------------------

    @Test
    void discoveryFindsSurrealDbWithTheSeedsDescription() {
        // Act
        var plugin = ServiceFactory.discover(getClass().getClassLoader()).plugin("surrealdb");

        // Assert
        assertThat(plugin).hasValueSatisfying(p -> {
            assertThat(p).isInstanceOf(SurrealDbPlugin.class);
            assertThat(p.description()).isEqualTo("SurrealDB database");
        });
    }

    @Test
    void passwordIsTheOnlySecretKey() {
        // Act
        var secrets = new SurrealDbPlugin()
                .keys().stream().filter(Key::isSecret).map(Key::path).toList();

        // Assert
        assertThat(secrets).containsExactly("auth.pass");
    }

    // --- the container spec -----------------------------------------------------------------------

    @Test
    void issueExampleOnTheDefaultV3TagStartsWithoutTheStrictFlag() throws Exception {
        // Act
        SurrealDbSettings settings = settings(parse(ISSUE_EXAMPLE));
        ContainerSpec spec = settings.containerSpec();

        // Assert
        assertThat(spec.image()).isEqualTo("surrealdb/surrealdb:v3.0.5");
        assertThat(spec.command()).contains(List.of("start", "--user", "root", "--bind", "0.0.0.0:8000", "memory"));
        assertThat(spec.entrypoint()).isEmpty();
        assertThat(spec.env()).containsExactly(Map.entry("SURREAL_PASS", "root"));
        assertThat(spec.secretEnvNames()).containsExactly("SURREAL_PASS");
        assertThat(spec.ports()).containsExactly(new PortSpec("127.0.0.1", 0, 8000, "tcp"));
        assertThat(spec.volumes()).isEmpty();
        assertThat(spec.stopTimeout()).isEqualTo(Duration.ZERO);
        assertThat(settings.waitPolicy()).isEqualTo(WaitPolicy.of(Duration.ofMillis(100), Duration.ofSeconds(60), 0));
        assertThat(settings.images()).containsExactly("surrealdb/surrealdb:v3.0.5");
    }

    @Test
    void strictOnAV2TagIsTheStartFlag() throws Exception {
        // Arrange
        String toml = ISSUE_EXAMPLE + "tag = \"v2.3.7\"\n";

        // Act
        SurrealDbSettings settings = settings(parse(toml));
        ContainerSpec spec = settings.containerSpec();

        // Assert
        assertThat(spec.image()).isEqualTo("surrealdb/surrealdb:v2.3.7");
        assertThat(spec.command())
                .contains(List.of("start", "--user", "root", "--bind", "0.0.0.0:8000", "--strict", "memory"));
        assertThat(spec.entrypoint()).isEmpty();
        assertThat(spec.env()).containsExactly(Map.entry("SURREAL_PASS", "root"));
        assertThat(spec.secretEnvNames()).containsExactly("SURREAL_PASS");
        assertThat(spec.ports()).containsExactly(new PortSpec("127.0.0.1", 0, 8000, "tcp"));
        assertThat(spec.volumes()).isEmpty();
        assertThat(spec.stopTimeout()).isEqualTo(Duration.ZERO);
        assertThat(settings.waitPolicy()).isEqualTo(WaitPolicy.of(Duration.ofMillis(100), Duration.ofSeconds(60), 0));
        assertThat(settings.majorVersion()).isEqualTo(OptionalInt.of(2));
    }

    @Test
    void strictOnAV3TagIsADefineDatabaseStatement() throws Exception {
        // Arrange
        String toml = ISSUE_EXAMPLE + "tag = \"v3.0.5\"\n";

        // Act
        SurrealDbSettings settings = settings(parse(toml));

        // Assert
        assertThat(settings.containerSpec().command().orElseThrow()).doesNotContain("--strict");
        assertThat(settings.defineStatements(3))
                .isEqualTo(
                        "DEFINE NAMESPACE IF NOT EXISTS test; USE NS test; DEFINE DATABASE IF NOT EXISTS test STRICT;");
    }

    @Test
    void namespaceAndDatabaseAreDefinedTheWayEachVersionAccepts() throws Exception {
        // Arrange
        SurrealDbSettings strict =
                settings(parse(HEAD + "namespace = \"shop\"\ndatabase = \"orders\"\nstrict = true\n"));
        SurrealDbSettings lax = settings(parse(HEAD + "namespace = \"shop\"\ndatabase = \"orders\"\n"));

        // Act + Assert: 1.x has no IF NOT EXISTS; before 3.x strictness came from --strict
        assertThat(strict.defineStatements(1)).isEqualTo("DEFINE NAMESPACE shop; USE NS shop; DEFINE DATABASE orders;");
        assertThat(strict.defineStatements(2))
                .isEqualTo("DEFINE NAMESPACE IF NOT EXISTS shop; USE NS shop; DEFINE DATABASE IF NOT EXISTS orders;");
        assertThat(lax.defineStatements(3))
                .isEqualTo("DEFINE NAMESPACE IF NOT EXISTS shop; USE NS shop; DEFINE DATABASE IF NOT EXISTS orders;");
    }

    @Test
    void imageWithoutAVersionTagGetsTheStrictFlagAndIsAskedItsVersionLater() throws Exception {
        // Arrange
        String toml = HEAD + "image = \"cleanroom/surrealdb-standin:fixture\"\nstrict = true\n";

        // Act
        SurrealDbSettings settings = settings(parse(toml));

        // Assert
        assertThat(settings.majorVersion()).isEmpty();
        assertThat(settings.containerSpec().command())
                .contains(List.of("start", "--user", "root", "--bind", "0.0.0.0:8000", "--strict", "memory"));
        assertThat(settings.containerSpec().image()).isEqualTo("cleanroom/surrealdb-standin:fixture");
        assertThat(settings.images()).containsExactly("cleanroom/surrealdb-standin:fixture");
    }

    @Test
    void serviceWithNoKeysGetsRootCredentialsAndTheTestNamespace() throws Exception {
        // Act
        SurrealDbSettings settings = settings(parse(HEAD));

        // Assert
        assertThat(settings.user()).isEqualTo("root");
        assertThat(settings.pass()).isEqualTo("root");
        assertThat(settings.namespace()).isEqualTo("test");
        assertThat(settings.database()).isEqualTo("test");
        assertThat(settings.strict()).isFalse();
        assertThat(settings.storage()).isEqualTo(SurrealDbSettings.Storage.MEMORY);
        assertThat(settings.init()).isEmpty();
        assertThat(settings.initFile()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"rocksdb, rocksdb:/data/db", "surrealkv, surrealkv:/data/db", "memory, memory"})
    void storageIsTheLastStartArgument(String storage, String path) throws Exception {
        // Act
        ContainerSpec spec =
                settings(parse(HEAD + "storage = \"" + storage + "\"\n")).containerSpec();

        // Assert
        assertThat(spec.command().orElseThrow()).last().isEqualTo(path);
    }

    @Test
    void passwordIsMaskedWhereverTheSpecIsPrinted() throws Exception {
        // Arrange
        String toml = HEAD + "auth.user = \"admin\"\nauth.pass = \"s3cr3t-pw\"\n";

        // Act
        SurrealDbSettings settings = settings(parse(toml));
        ContainerSpec spec = settings.containerSpec();

        // Assert
        assertThat(spec.command().orElseThrow()).doesNotContain("s3cr3t-pw");
        assertThat(settings.toString()).doesNotContain("s3cr3t-pw");
        assertThat(spec.printableEnv()).containsExactly(Map.entry("SURREAL_PASS", "****"));
        assertThat(spec.toString()).doesNotContain("s3cr3t-pw");
    }

    @Test
    void waitPolicyPollsEvery100msUntilTheStartTimeout() throws Exception {
        // Arrange
        SurrealDbSettings settings = settings(parse(HEAD + "start_timeout = \"15s\"\n"));

        // Act
        WaitPolicy policy = settings.waitPolicy();

        // Assert
        assertThat(policy).isEqualTo(WaitPolicy.of(Duration.ofMillis(100), Duration.ofSeconds(15), 0));
    }

    @Test
    void startPublishesTheEndpointsAndNeverThePassword() throws Exception {
        // Arrange
        TestFile parsed = parse(ISSUE_EXAMPLE.replace("auth.pass = \"root\"", "auth.pass = \"pw-123\""));
        StubBackend backend = backend();
        Service service = settings(parsed).create(new StubServiceContext("database", backend));

        // Act
        service.start();
        ServiceHandle handle = service.handle();

        // Assert
        assertThat(backend.started())
                .singleElement()
                .satisfies(s -> assertThat(s.image()).isEqualTo("surrealdb/surrealdb:v3.0.5"));
        assertThat(handle.endpoints())
                .containsExactly(
                        Map.entry("url", "http://127.0.0.1:32801"),
                        Map.entry("ws", "ws://127.0.0.1:32801/rpc"),
                        Map.entry("namespace", "test"),
                        Map.entry("database", "test"),
                        Map.entry("user", "root"));
        assertThat(handle.endpoints().values()).noneMatch(v -> v.contains("pw-123"));
    }

    @Test
    void anAdoptedServerExportsWhatAFreshStartExportedAndChecksHealthOnItsPort() throws Exception {
        // Arrange: an earlier build started the server; this build adopts it
        StubBackend earlier = backend();
        Service fresh = settings(parse(ISSUE_EXAMPLE)).create(new StubServiceContext("database", earlier));
        fresh.start();
        StubBackend backend = backend();
        Service adopting = settings(parse(ISSUE_EXAMPLE)).create(new StubServiceContext("database", backend));

        // Act
        boolean adopted = adopting.adopt(new dev.cleanroom.engine.spi.ContainerInfo(
                fresh.handle().containerId(),
                "clnrm-reuse-x-database",
                "127.0.0.1",
                fresh.handle().ports()));
        HealthStatus health = adopting.checkHealth();

        // Assert: whether anything answers there or not, the probe says where it asked
        assertThat(adopted).isTrue();
        assertThat(backend.started()).as("containers created").isEmpty();
        assertThat(adopting.handle()).isEqualTo(fresh.handle());
        assertThat(health.detail()).contains("http://127.0.0.1:32801/health");
    }

    @Test
    void theInitFilesContentIsTheReuseFingerprintSoAnEditReplacesAKeptServer() throws Exception {
        // Arrange
        Files.writeString(dir.resolve("schema.surql"), "DEFINE TABLE person SCHEMAFULL;");
        String toml = HEAD + "init_file = \"schema.surql\"\n";
        String before = settings(parse(toml)).reuseFingerprint();

        // Act
        Files.writeString(dir.resolve("schema.surql"), "DEFINE TABLE person SCHEMALESS;");
        String after = settings(parse(toml)).reuseFingerprint();

        // Assert
        assertThat(before).startsWith("sha256:").isNotEqualTo(after);
        assertThat(settings(parse(HEAD)).reuseFingerprint()).isEmpty();
    }

    @Test
    void stopRemovesTheContainerTheStartCreated() throws Exception {
        // Arrange
        StubBackend backend = backend();
        Service service = settings(parse(HEAD)).create(new StubServiceContext("database", backend));
        service.start();

        // Act
        service.stop();

        // Assert
        assertThat(backend.stopped()).containsExactly("c1");
    }

    @Test
    void stopAfterAStartThatFailedBeforeItsContainerRanStopsNothing() throws Exception {
        // Arrange: the engine calls stop even when start threw
        StubBackend backend = backend().onStart((spec, planned) -> {
            throw new CleanroomException(CleanroomException.Reason.IMAGE_MISSING, "no such image " + spec.image());
        });
        Service service = settings(parse(HEAD)).create(new StubServiceContext("database", backend));
        Throwable failedStart = org.assertj.core.api.Assertions.catchThrowable(service::start);

        // Act
        service.stop();

        // Assert
        assertThat(failedStart).isInstanceOf(CleanroomException.class);
        assertThat(backend.stopped()).isEmpty();
        assertThat(service.handle()).isNull();
    }

    @Test
    void eachRunGetsItsOwnServiceFromOneDefinition() throws Exception {
        // Arrange
        SurrealDbSettings settings = settings(parse(HEAD));
        StubBackend first = backend();
        StubBackend second = backend();

        // Act
        Service one = settings.create(new StubServiceContext("database", first));
        Service two = settings.create(new StubServiceContext("database", second));
        one.start();

        // Assert
        assertThat(one).isNotSameAs(two);
        assertThat(two.handle()).isNull();
        assertThat(second.started()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "surrealdb/surrealdb:v2.3.7, 2",
        "surrealdb/surrealdb:v1.5.4, 1",
        "surrealdb/surrealdb:3.0.5, 3",
        "localhost:5000/surrealdb/surrealdb:v2.0.0-beta.2, 2",
        "surrealdb/surrealdb:latest, ",
        "surrealdb/surrealdb, ",
        "localhost:5000/surrealdb, ",
        "cleanroom/surrealdb-standin:fixture, "
    })
    void majorVersionIsReadFromVersionTagsOnly(String image, Integer major) {
        // Act
        OptionalInt version = SurrealDbSettings.majorVersionOf(image);

        // Assert
        assertThat(version).isEqualTo(major == null ? OptionalInt.empty() : OptionalInt.of(major));
    }

    // --- config errors ----------------------------------------------------------------------------

    @Test
    void passwordWithoutUserIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "auth.pass = \"hunter2\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "db.clnrm.toml:1:1: services.database.auth.user: missing: auth.pass is set, "
                                + "but not the user it belongs to (add auth.user = \"root\", or the name of the server's root user)");
    }

    @Test
    void userWithoutPasswordIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "auth.user = \"admin\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:1:1: services.database.auth.pass: missing: auth.user is set, "
                        + "but not its password (add auth.pass = \"...\")");
    }

    @Test
    void emptyCredentialsAreReported() throws Exception {
        // Arrange
        String toml = HEAD + "auth.user = \" \"\nauth.pass = \"\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "db.clnrm.toml:3:1: services.database.auth.user: must not be empty (write e.g. auth.user = \"root\")",
                        "db.clnrm.toml:4:1: services.database.auth.pass: must not be empty (write e.g. auth.pass = \"root\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"my ns", "1st", "", "test;DROP", "ns-name", "caf\u00e9"})
    void badNamespaceIsReported(String namespace) throws Exception {
        // Arrange
        String toml = HEAD + "namespace = \"" + namespace + "\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:3:1: services.database.namespace: \"" + namespace
                        + "\" is not a valid namespace name (use letters, digits and underscores, starting with a letter or an "
                        + "underscore, e.g. namespace = \"test\")");
    }

    @Test
    void badDatabaseIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "database = \"my-db\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:3:1: services.database.database: \"my-db\" is not a valid "
                        + "database name (use letters, digits and underscores, starting with a letter or an underscore, "
                        + "e.g. database = \"test\")");
    }

    @Test
    void missingInitFileIsReportedWithTheResolvedPath() throws Exception {
        // Arrange
        String toml = HEAD + "init_file = \"schema/seed.surql\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:3:1: services.database.init_file: cannot read "
                        + dir.resolve("schema/seed.surql")
                        + " (from \"schema/seed.surql\"): it does not exist (create it, or fix "
                        + "the path; relative paths start at " + dir + ")");
    }

    @Test
    void initFileThatIsADirectoryIsReported() throws Exception {
        // Arrange
        Files.createDirectories(dir.resolve("schema"));
        String toml = HEAD + "init_file = \"schema\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:3:1: services.database.init_file: cannot read "
                        + dir.resolve("schema")
                        + " (from \"schema\"): it is a directory (create it, or fix the path; relative "
                        + "paths start at " + dir + ")");
    }

    @Test
    void initFileThatIsNotUtf8TextIsReportedBeforeStart() throws Exception {
        // Arrange: Latin-1 "é", which the start's UTF-8 read could not decode, as root too
        Files.write(dir.resolve("seed.surql"), new byte[] {'-', '-', ' ', (byte) 0xE9, '\n'});
        String toml = HEAD + "init_file = \"seed.surql\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "db.clnrm.toml:3:1: services.database.init_file: cannot read " + dir.resolve("seed.surql")
                                + " (from \"seed.surql\"): it is not UTF-8 text (save it as UTF-8)");
    }

    @Test
    void initFileThisBuildCannotReadIsReportedWithTheUser() throws Exception {
        // Arrange
        Path seed = Files.writeString(dir.resolve("seed.surql"), "DEFINE TABLE person;");
        Files.setPosixFilePermissions(seed, PosixFilePermissions.fromString("---------"));
        // The plugin reads the file itself (it is never mounted), so what counts is whether this
        // JVM can. Root can read a mode-000 file, so there nothing is unreadable and CI (root)
        // skips this; the UTF-8 test above covers the read check there.
        assumeFalse(Files.isReadable(seed), "this user (" + System.getProperty("user.name") + ") reads mode 000 files");
        String toml = HEAD + "init_file = \"seed.surql\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:3:1: services.database.init_file: cannot read " + seed
                        + " (from \"seed.surql\"): it is not readable by " + System.getProperty("user.name")
                        + ", who runs "
                        + "this build (make it readable: chmod a+r " + seed + ")");
    }

    @Test
    void initFileIsResolvedAgainstTheTomlFilesDirectory() throws Exception {
        // Arrange
        Files.createDirectories(dir.resolve("schema"));
        Files.writeString(dir.resolve("schema/seed.surql"), "DEFINE TABLE person;");

        // Act
        SurrealDbSettings settings = settings(parse(HEAD + "init_file = \"schema/seed.surql\"\n"));

        // Assert
        assertThat(settings.initFile()).contains(dir.resolve("schema/seed.surql"));
    }

    @Test
    void unknownKeyIsReportedWithASuggestion() throws Exception {
        // Arrange
        String toml = HEAD + "namespce = \"test\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:3:1: services.database.namespce: unknown key for type "
                        + "\"surrealdb\" (did you mean `namespace`?)");
    }

    @Test
    void unknownStorageIsReportedWithTheAcceptedValues() throws Exception {
        // Arrange
        String toml = HEAD + "storage = \"disk\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:3:1: services.database.storage: \"disk\" is not a storage "
                        + "SurrealDB offers here (write storage = \"memory\" (the default), \"rocksdb\" or \"surrealkv\" (files in "
                        + "the container's /data))");
    }

    @Test
    void tagNextToImageIsReportedAsIgnored() throws Exception {
        // Arrange
        String toml = HEAD + "image = \"surrealdb/surrealdb:v2.3.7\"\ntag = \"v3.0.5\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:4:1: services.database.tag: is ignored because image names "
                        + "the whole reference (remove tag, or remove image and keep tag)");
    }

    @Test
    void invalidTagAndImageAreReported() throws Exception {
        // Act
        var badTag = problems(HEAD + "tag = \"v 2\"\n");
        var badImage = problems(HEAD + "image = \"SurrealDB\"\n");

        // Assert
        assertThat(badTag)
                .containsExactly("db.clnrm.toml:3:1: services.database.tag: \"v 2\" is not a valid image tag "
                        + "(write a release tag such as tag = \"v3.0.5\")");
        assertThat(badImage)
                .containsExactly(
                        "db.clnrm.toml:3:1: services.database.image: \"SurrealDB\" is not a valid "
                                + "image reference (write name[:tag] in lower case, e.g. image = \"surrealdb/surrealdb:v3.0.5\")");
    }

    @Test
    void zeroStartTimeoutIsReportedByTheKeysRange() throws Exception {
        // Arrange
        String toml = HEAD + "start_timeout = \"0s\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:3:1: services.database.start_timeout: must be at least "
                        + "1ms, was 0s (write a value in range, or remove the key for its default 60s)");
    }

    @Test
    void emptyInitStatementIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "init = [\"DEFINE TABLE person\", \"  \"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("db.clnrm.toml:3:1: services.database.init: statement 2 is empty (remove it, "
                        + "or write a SurrealQL statement such as \"DEFINE TABLE person SCHEMALESS\")");
    }

    @Test
    void wrongTypesAreReportedByTheParser() throws Exception {
        // Arrange
        String toml = HEAD + "strict = \"yes\"\ninit = \"DEFINE TABLE x\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems())
                .extracting(ConfigProblem::keyPath)
                .containsExactly("services.database.strict", "services.database.init");
    }

    @Test
    void everyProblemIsReportedAtOnceAndThePasswordNowhere() throws Exception {
        // Arrange
        String toml = HEAD + """
                auth.pass = "top-secret-pw"
                namespace = "a b"
                database = "c-d"
                storage = "tape"
                init_file = "nope.surql"
                start_timeout = "0s"
                colour = "blue"
                """;

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems())
                .extracting(ConfigProblem::keyPath)
                .containsExactlyInAnyOrder(
                        "services.database.auth.user",
                        "services.database.namespace",
                        "services.database.database",
                        "services.database.storage",
                        "services.database.init_file",
                        "services.database.start_timeout",
                        "services.database.colour");
        assertThat(e.getMessage()).doesNotContain("top-secret-pw");
    }

    // --- helpers ----------------------------------------------------------------------------------

    private TestFile parse(String toml) throws Exception {
        return fixture.parse(toml);
    }

    private ConfigException failure(String toml) throws Exception {
        return fixture.failure(toml);
    }

    private List<String> problems(String toml) throws Exception {
        return fixture.problems(toml);
    }

    /** The plugin's reading of the parsed file's service {@code database}, as the engine hands it over. */
    private static SurrealDbSettings settings(TestFile parsed) {
        List<ConfigProblem> problems = new ArrayList<>();
        SurrealDbPlugin plugin = new SurrealDbPlugin();
        var definition = plugin.define(new SettingsReader(
                parsed.services().get("database"), Map.of("database", SurrealDbPlugin.TYPE), plugin.keys(), problems));
        assertThat(problems).isEmpty();
        return (SurrealDbSettings) definition;
    }

    /** Records what the plugin asks for; "starts" it on host port 32801. */
    private static StubBackend backend() {
        return new StubBackend().hostPorts(containerPort -> 32801);
    }
}
