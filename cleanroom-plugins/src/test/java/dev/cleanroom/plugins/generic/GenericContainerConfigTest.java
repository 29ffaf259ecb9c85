package dev.cleanroom.plugins.generic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import dev.cleanroom.plugins.TomlFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code generic_container} accepts and refuses, through the real parser and the plugin
 * found by ServiceLoader. Problems are compared as users read them, with the temporary file's
 * path shown as {@code app.clnrm.toml}.
 */
class GenericContainerConfigTest {

    /** Lines 1-3; keys appended after it start on line 4. */
    private static final String HEAD = "[services.app]\ntype = \"generic_container\"\nimage = \"alpine:3.20\"\n";

    @TempDir
    Path dir;

    private Path file;
    private TomlFixture fixture;

    @BeforeEach
    void setUp() {
        file = dir.resolve("app.clnrm.toml");
        fixture = new TomlFixture(file.getParent(), file.getFileName().toString());
    }

    // --- image ----------------------------------------------------------------------------------

    @Test
    void discoveryFindsGenericContainer() {
        assertThat(ServiceFactory.discover(getClass().getClassLoader()).plugin("generic_container"))
                .hasValueSatisfying(p -> assertThat(p).isInstanceOf(GenericContainerPlugin.class));
    }

    @Test
    void missingImageIsReportedAtTheServiceTable() throws Exception {
        // Arrange
        String toml = "[services.app]\ntype = \"generic_container\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:1:1: services.app.image: missing required key for type \"generic_container\" "
                                + "(add image = \"...\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Alpine Linux", "", "-alpine", "/alpine", "alpine latest", "alpine:3.20\n", "caf\u00e9"})
    void invalidImageReferenceIsReported(String image) throws Exception {
        // Arrange
        String toml = "[services.app]\ntype = \"generic_container\"\nimage = \"" + image.replace("\n", "\\n") + "\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:3:1: services.app.image: \"" + image + "\" is not a valid "
                        + "image reference (write name[:tag] in lower case, e.g. image = \"alpine:3.20\")");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "alpine",
                "alpine:3.20",
                "library/alpine:latest",
                "localhost:5000/app",
                "ghcr.io/huggingface/text-generation-inference:2.0",
                "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "my_app.v2-rc"
            })
    void validImageReferenceIsAccepted(String image) throws Exception {
        // Arrange
        String toml = "[services.app]\ntype = \"generic_container\"\nimage = \"" + image + "\"\n";

        // Act
        TestFile parsed = parse(toml);

        // Assert
        assertThat(parsed.services().get("app").string("image")).contains(image);
    }

    // --- ports ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"abc", "8080:", "8080/sctp", "-1", "localhost:80:80", "80-90"})
    void malformedPortIsReportedWithTheAcceptedForms(String port) throws Exception {
        // Arrange
        String toml = HEAD + "ports = [\"" + port + "\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.ports: \"" + port + "\" is not a port "
                        + "mapping; write \"8080\", \"18080:8080\" (host:container) or \"0.0.0.0:18080:8080\" to bind another "
                        + "address");
    }

    @Test
    void portsOutOfRangeAreReportedOneEach() throws Exception {
        // Arrange
        String toml = HEAD + "ports = [\"0\", \"70000\", \"99999:80\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:4:1: services.app.ports: container port 0 is outside 1..65535",
                        "app.clnrm.toml:4:1: services.app.ports: container port 70000 is outside 1..65535",
                        "app.clnrm.toml:4:1: services.app.ports: host port 99999 is outside 0..65535");
    }

    @Test
    void containerPortPublishedTwiceIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "ports = [\"8080\", \"18080:8080\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.ports: container port 8080 is published "
                        + "twice (publish each container port once)");
    }

    @Test
    void sameContainerPortOverTcpAndUdpIsAccepted() throws Exception {
        // Arrange
        String toml = HEAD + "ports = [\"53\", \"53/udp\"]\n";

        // Act
        GenericContainerSettings settings = settings(parse(toml));

        // Assert
        assertThat(settings.ports())
                .containsExactly(new PortSpec("127.0.0.1", 0, 53, "tcp"), new PortSpec("127.0.0.1", 0, 53, "udp"));
    }

    @Test
    void portsWrittenAsAStringAreReportedWithTheListForm() throws Exception {
        // Arrange
        String toml = HEAD + "ports = \"8080:8080\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.ports: expected a list of strings, "
                        + "found a string \"8080:8080\" (write it as a list: ports = [\"8080:8080\"])");
    }

    @Test
    void portsWrittenAsNumbersAreReported() throws Exception {
        // Arrange
        String toml = HEAD + "ports = [8080]\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("services.app.ports");
            assertThat(p.message()).startsWith("expected a list of strings, found a list ");
            assertThat(p.fix()).isEqualTo("write a list of strings, e.g. ports = [\"a\", \"b\"]");
        });
    }

    // --- volumes --------------------------------------------------------------------------------

    @Test
    void missingVolumeHostPathIsReportedWithTheResolvedAbsolutePath() throws Exception {
        // Arrange
        String toml = HEAD + "volumes = [\"data:/var/lib/data\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        Path resolved = dir.resolve("data").toAbsolutePath();
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.volumes: host path " + resolved
                        + " (from \"data:/var/lib/data\") does not exist (create it, or fix the path; relative paths start at "
                        + dir.toAbsolutePath() + ")");
    }

    @Test
    void existingVolumeHostPathIsResolvedAgainstTheFilesDirectory() throws Exception {
        // Arrange
        Files.createDirectories(dir.resolve("conf"));
        String toml = HEAD + "volumes = [\"conf:/etc/app:ro\", \"" + dir.resolve("conf") + ":/etc/rw\"]\n";

        // Act
        GenericContainerSettings settings = settings(parse(toml));

        // Assert
        assertThat(settings.volumes())
                .containsExactly(
                        new VolumeMount(dir.resolve("conf").toAbsolutePath(), "/etc/app", true),
                        new VolumeMount(dir.resolve("conf").toAbsolutePath(), "/etc/rw", false));
    }

    @Test
    void malformedVolumesAreReportedOneEach() throws Exception {
        // Arrange
        Files.createDirectories(dir.resolve("conf"));
        String toml = HEAD + "volumes = [\"conf\", \"conf:etc/app\", \"conf:/etc/app:rx\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:4:1: services.app.volumes: \"conf\" is not a volume; write \"host/path:/container/path\" "
                                + "or add \":ro\" for read-only",
                        "app.clnrm.toml:4:1: services.app.volumes: the container path \"etc/app\" must be absolute",
                        "app.clnrm.toml:4:1: services.app.volumes: volume mode \"rx\" in \"conf:/etc/app:rx\" is neither ro nor rw");
    }

    // --- health ---------------------------------------------------------------------------------

    @Test
    void httpCheckWithoutAnyPortIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "health.http = \"/health\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.health.http: no port to check "
                        + "(add health.port = <container port>, or publish one with ports = [\"8080\"])");
    }

    @Test
    void stdinIsKeptOpenUnlessTheFileSaysOtherwise() throws Exception {
        // Arrange: alpine's default command is a shell, which ends when its stdin does
        String byDefault = HEAD;
        String closed = HEAD + "stdin_open = false\n";

        // Act
        boolean openByDefault = settings(parse(byDefault)).containerSpec().openStdin();
        boolean openWhenClosed = settings(parse(closed)).containerSpec().openStdin();

        // Assert
        assertThat(openByDefault).isTrue();
        assertThat(openWhenClosed).isFalse();
    }

    @Test
    void stdinOpenThatIsNotABooleanIsReported() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "stdin_open = \"yes\"\n");

        // Assert
        assertThat(problems).singleElement().asString().startsWith("app.clnrm.toml:4:1: services.app.stdin_open: ");
    }

    @Test
    void httpCheckGoesToTheFirstPublishedPort() throws Exception {
        // Arrange
        String toml = HEAD + "ports = [\"9000\", \"8080\"]\nhealth.http = \"/health\"\n";

        // Act
        GenericContainerSettings settings = settings(parse(toml));

        // Assert
        assertThat(settings.health().httpPort()).contains(9000);
        assertThat(settings.health().httpPath()).contains("/health");
    }

    @Test
    void httpCheckGoesToHealthPortWhenGiven() throws Exception {
        // Arrange
        String toml = HEAD + "health.http = \"/ready\"\nhealth.port = 8081\n";

        // Act
        GenericContainerSettings settings = settings(parse(toml));

        // Assert
        assertThat(settings.health().httpPort()).contains(8081);
    }

    @Test
    void httpCheckThatIsNotAPathIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "ports = [\"8080\"]\nhealth.http = \"http://localhost:8080/health\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:5:1: services.app.health.http: "
                                + "\"http://localhost:8080/health\" is not a path (write the path of the URL, e.g. health.http = \"/health\")");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 65536, 99999999999999L})
    void healthPortOutOfRangeIsReported(long port) throws Exception {
        // Arrange
        String toml = HEAD + "health.http = \"/\"\nhealth.port = " + port + "\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:5:1: services.app.health.port: " + port
                                + " is outside 1..65535 (write a value in range, or remove the key for its default first of ports)");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 65536, 70000, 99999999999999L, 4294967376L})
    void tcpCheckOutOfRangeIsReportedWithTheValueAsWritten(long port) throws Exception {
        // Arrange: 4294967376 is 2^32 + 80
        String toml = HEAD + "health.tcp = " + port + "\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.health.tcp: " + port
                        + " is outside 1..65535 (write a value in range)");
    }

    @Test
    void logCheckWithAnInvalidRegexIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "health.log = \"ready (port\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.health.log: invalid regular expression: "
                        + "Unclosed group (escape special characters, or use a '...' literal string)");
    }

    @Test
    void emptyHealthCommandIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "health.command = []\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.health.command: must not be empty "
                        + "(write health.command = [\"test\", \"-f\", \"/ready\"])");
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 1_000_001, 99999999999999L})
    void retriesOutsideZeroToAMillionAreReported(long retries) throws Exception {
        // Arrange
        String toml = HEAD + "health.retries = " + retries + "\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.health.retries: " + retries
                        + " is outside 0..1000000 (write a value in range, or remove the key for its default 0)");
    }

    @Test
    void zeroIntervalIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "health.interval = \"0s\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.health.interval: must be at least "
                        + "1ms, was 0s (write a value in range, or remove the key for its default 100ms)");
    }

    @Test
    void zeroProbeTimeoutIsReportedBecauseItMeansWaitForever() throws Exception {
        // Arrange: HttpURLConnection and Socket treat a 0 ms timeout as "no timeout"
        String toml = HEAD + "ports = [\"8080\"]\nhealth.http = \"/\"\nhealth.timeout = \"0s\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("services.app.health.timeout");
            assertThat(p.position().line()).isEqualTo(6);
            assertThat(p.message()).isEqualTo("must be at least 1ms, was 0s");
        });
    }

    @Test
    void healthDurationsOfTheWrongFormAreReported() throws Exception {
        // Arrange
        String toml = HEAD + "health.start_timeout = \"1 minute\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.health.start_timeout: expected a "
                        + "duration such as \"500ms\", \"30s\" or \"2m\", found a string \"1 minute\" "
                        + "(write e.g. health.start_timeout = \"30s\")");
    }

    @Test
    void misspelledHealthKeyIsReportedWithTheClosestKey() throws Exception {
        // Arrange
        String toml = HEAD + "health.htp = \"/\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.health.htp: unknown key for type "
                        + "\"generic_container\" (did you mean `health.http`?)");
    }

    @Test
    void waitPolicyFollowsTheHealthSettings() throws Exception {
        // Arrange
        String toml = HEAD + "health.tcp = 5432\nhealth.interval = \"250ms\"\nhealth.start_timeout = \"2m\"\n"
                + "health.retries = 5\n";
        GenericContainerSettings app = settings(parse(toml));

        // Act
        WaitPolicy policy = app.waitPolicy();

        // Assert
        assertThat(policy).isEqualTo(WaitPolicy.of(Duration.ofMillis(250), Duration.ofMinutes(2), 5));
    }

    // --- command, entrypoint, aliases -----------------------------------------------------------

    @Test
    void emptyCommandIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "command = []\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.command: must not be empty (remove it "
                        + "to keep the image's default, or write command = [\"program\", \"arg\"])");
    }

    @Test
    void emptyEntrypointIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "entrypoint = []\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.entrypoint: must not be empty (remove "
                        + "it to keep the image's default, or write entrypoint = [\"program\", \"arg\"])");
    }

    @Test
    void commandWrittenAsAShellStringIsReportedWithTheArgvForm() throws Exception {
        // Arrange
        String toml = HEAD + "command = \"sh -c 'sleep infinity'\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("services.app.command");
            assertThat(p.fix()).startsWith("write it as a list: command = [\"sh\", \"-c\", ");
        });
    }

    @Test
    void invalidAliasIsReported() throws Exception {
        // Arrange
        String toml = HEAD + "aliases = [\"api\", \"my api\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.aliases: \"my api\" is not a valid "
                        + "network alias (use letters, digits, '_', '-' or '.')");
    }

    // --- whole services -------------------------------------------------------------------------

    @Test
    void fullyConfiguredServiceIsValid() throws Exception {
        // Arrange
        Files.createDirectories(dir.resolve("fixtures"));
        String toml = """
                [services.app]
                type = "generic_container"
                image = "alpine:3.20"
                command = ["sh", "-c", "sleep infinity"]
                entrypoint = ["/bin/sh"]
                env.MY_VAR = "value"
                env.PORT = 8080
                ports = ["8080:8080", "0.0.0.0:9090:9090", "53/udp"]
                volumes = ["fixtures:/data:ro"]
                aliases = ["api", "api.local"]
                user = "1000:1000"
                workdir = "/srv"
                stop_timeout = "5s"
                health.command = ["test", "-f", "/ready"]
                health.http = "/health"
                health.port = 8080
                health.tcp = 9090
                health.log = 'listening on \\d+'
                health.interval = "200ms"
                health.timeout = "1s"
                health.start_timeout = "30s"
                health.retries = 3
                """;

        // Act
        GenericContainerSettings settings = settings(parse(toml));

        // Assert
        assertThat(settings.image()).isEqualTo("alpine:3.20");
        assertThat(settings.command()).contains(List.of("sh", "-c", "sleep infinity"));
        assertThat(settings.entrypoint()).contains(List.of("/bin/sh"));
        assertThat(settings.env())
                .containsOnly(java.util.Map.entry("MY_VAR", "value"), java.util.Map.entry("PORT", "8080"));
        assertThat(settings.ports())
                .containsExactly(
                        new PortSpec("127.0.0.1", 8080, 8080, "tcp"),
                        new PortSpec("0.0.0.0", 9090, 9090, "tcp"),
                        new PortSpec("127.0.0.1", 0, 53, "udp"));
        assertThat(settings.volumes())
                .containsExactly(new VolumeMount(dir.resolve("fixtures").toAbsolutePath(), "/data", true));
        assertThat(settings.aliases()).containsExactly("api", "api.local");
        assertThat(settings.user()).contains("1000:1000");
        assertThat(settings.workdir()).contains("/srv");
        assertThat(settings.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.health().command()).contains(List.of("test", "-f", "/ready"));
        assertThat(settings.health().httpPort()).contains(8080);
        assertThat(settings.health().tcpPort()).contains(9090);
        assertThat(settings.health().log())
                .hasValueSatisfying(p -> assertThat(p.pattern()).isEqualTo("listening on \\d+"));
        assertThat(settings.health().interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.health().probeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.health().startTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.health().retries()).isEqualTo(3);
    }

    @Test
    void serviceWithOnlyAnImageGetsTheDefaults() throws Exception {
        // Act
        GenericContainerSettings settings = settings(parse(HEAD));

        // Assert
        assertThat(settings.command()).isEmpty();
        assertThat(settings.entrypoint()).isEmpty();
        assertThat(settings.ports()).isEmpty();
        assertThat(settings.volumes()).isEmpty();
        assertThat(settings.stopTimeout()).isEqualTo(Duration.ZERO);
        assertThat(settings.health().none()).isTrue();
        assertThat(settings.health().interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.health().probeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.health().startTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.health().retries()).isZero();
    }

    @Test
    void everyProblemOfOneServiceIsReportedTogether() throws Exception {
        // Arrange
        String toml = """
                [services.app]
                type = "generic_container"
                image = "Alpine Linux"
                ports = ["abc", "8080", "8080"]
                volumes = ["missing:/data"]
                command = []
                health.http = "health"
                health.tcp = 0
                health.log = "("
                health.retries = -1
                health.interval = "0s"
                """;

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems())
                .extracting(ConfigProblem::keyPath)
                .containsExactlyInAnyOrder(
                        "services.app.image",
                        "services.app.ports",
                        "services.app.ports",
                        "services.app.volumes",
                        "services.app.command",
                        "services.app.health.http",
                        "services.app.health.tcp",
                        "services.app.health.log",
                        "services.app.health.retries",
                        "services.app.health.interval");
    }

    @Test
    void problemsOfSeveralServicesAreReportedInFileOrder() throws Exception {
        // Arrange
        String toml = """
                [services.one]
                type = "generic_container"
                image = "a b"

                [services.two]
                type = "generic_container"
                image = "alpine"
                ports = ["x"]

                [services.three]
                type = "generic_container"
                image = "alpine"
                health.tcp = 0
                """;

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems())
                .extracting(ConfigProblem::keyPath)
                .containsExactly("services.one.image", "services.two.ports", "services.three.health.tcp");
        assertThat(e.problems()).extracting(p -> p.position().line()).containsExactly(3, 8, 13);
    }

    // --- helpers --------------------------------------------------------------------------------

    private TestFile parse(String toml) throws Exception {
        return fixture.parse(toml);
    }

    private ConfigException failure(String toml) throws Exception {
        return fixture.failure(toml);
    }

    private List<String> problems(String toml) throws Exception {
        return fixture.problems(toml);
    }

    /** The definition the plugin made of service {@code app} while the file was parsed. */
    private static GenericContainerSettings settings(TestFile parsed) {
        return (GenericContainerSettings) parsed.services().get("app").definition();
    }
}
