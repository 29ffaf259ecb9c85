package dev.cleanroom.plugins.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cleanroom.engine.internal.Redactor;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.testing.StubBackend;
import dev.cleanroom.engine.testing.StubServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code otel_collector} accepts and refuses, the container it asks for and the config it writes. */
class OtelCollectorConfigTest {

    private static final String HEAD = "[services.collector]\ntype = \"otel_collector\"\n";
    private static final String HEALTHY_CONFIG = """
            receivers: {otlp: {protocols: {http: {endpoint: "0.0.0.0:4318"}}}}
            exporters: {debug: {}}
            extensions: {health_check: {endpoint: "0.0.0.0:13133"}}
            service:
              extensions: [health_check]
              pipelines: {traces: {receivers: [otlp], exporters: [debug]}}
            """;

    @TempDir
    Path dir;

    private OtelToml toml;

    @BeforeEach
    void setUp() {
        toml = new OtelToml(dir.resolve("app.clnrm.toml"));
    }

    private Path writeConfig(String name, String mode) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, HEALTHY_CONFIG);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static JsonNode parse(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void discoveryFindsTheOtelCollector() {
        assertThat(ServiceFactory.discover(getClass().getClassLoader()).plugin("otel_collector"))
                .hasValueSatisfying(p -> assertThat(p).isInstanceOf(OtelCollectorPlugin.class));
    }

    @Test
    void issueExampleMountsTheConfigFileWhereTheContribImageReadsIt() throws Exception {
        // Arrange: the issue's example, verbatim
        Path config = writeConfig("otel-config.yaml", "rw-r--r--");
        OtelCollectorSettings settings = toml.settings(HEAD + """
                config_file = "./otel-config.yaml"
                ports = ["4317:4317", "4318:4318"]
                """);

        // Act
        ContainerSpec spec = settings.containerSpec(CollectorOutput.BuildUser.ROOT);

        // Assert
        assertThat(spec.image()).isEqualTo("otel/opentelemetry-collector-contrib:0.128.0");
        assertThat(spec.command()).contains(List.of("--config=/etc/otelcol-contrib/config.yaml"));
        assertThat(spec.entrypoint()).isEmpty();
        assertThat(spec.user()).as("the image's own user, 10001").isEmpty();
        assertThat(spec.ports())
                .containsExactly(PortSpec.parse("4317:4317"), PortSpec.parse("4318:4318"), PortSpec.container(13133));
        assertThat(spec.volumes())
                .containsExactly(
                        new VolumeMount(config, "/etc/otelcol-contrib/config.yaml", true),
                        new VolumeMount(
                                dir.resolve("target/cleanroom/otel/collector/received"),
                                "/var/lib/cleanroom-otel",
                                false));
        assertThat(spec.env()).isEmpty();
        assertThat(spec.stopTimeout()).isZero();
    }

    @Test
    void withoutAConfigFileAllThreePortsArePublishedOnFreeLoopbackPorts() throws Exception {
        // Act
        ContainerSpec spec = toml.settings(HEAD).containerSpec(CollectorOutput.BuildUser.ROOT);

        // Assert
        assertThat(spec.ports())
                .containsExactly(PortSpec.container(4317), PortSpec.container(4318), PortSpec.container(13133));
        assertThat(spec.volumes())
                .containsExactly(
                        new VolumeMount(
                                dir.resolve("target/cleanroom/otel/collector/collector-config.yaml"),
                                "/etc/otelcol-contrib/config.yaml",
                                true),
                        new VolumeMount(
                                dir.resolve("target/cleanroom/otel/collector/received"),
                                "/var/lib/cleanroom-otel",
                                false));
    }

    @Test
    void coreImageReadsItsConfigFromEtcOtelcol() throws Exception {
        // Act
        ContainerSpec spec = toml.settings(HEAD + "image = \"otel/opentelemetry-collector:0.128.0\"\n")
                .containerSpec(CollectorOutput.BuildUser.ROOT);

        // Assert
        assertThat(spec.command()).contains(List.of("--config=/etc/otelcol/config.yaml"));
        assertThat(spec.volumes().get(0).containerPath()).isEqualTo("/etc/otelcol/config.yaml");
    }

    @Test
    void configPathOverridesWhereOtherDistributionsReadTheirConfig() throws Exception {
        // Act
        ContainerSpec spec = toml.settings(
                        HEAD + "image = \"registry.example/my-otelcol:1\"\n" + "config_path = \"/conf/otelcol.yaml\"\n")
                .containerSpec(CollectorOutput.BuildUser.ROOT);

        // Assert
        assertThat(spec.command()).contains(List.of("--config=/conf/otelcol.yaml"));
        assertThat(spec.volumes().get(0).containerPath()).isEqualTo("/conf/otelcol.yaml");
    }

    @Test
    void generatedConfigReceivesOtlpOnAllInterfacesChecksHealthOnAllInterfacesAndWritesOneFilePerSignal()
            throws Exception {
        // Act
        JsonNode config = parse(CollectorConfig.generate(toml.settings(HEAD)));

        // Assert
        assertThat(config.at("/receivers/otlp/protocols/grpc/endpoint").asText())
                .isEqualTo("0.0.0.0:4317");
        assertThat(config.at("/receivers/otlp/protocols/http/endpoint").asText())
                .isEqualTo("0.0.0.0:4318");
        assertThat(config.at("/extensions/health_check/endpoint").asText()).isEqualTo("0.0.0.0:13133");
        assertThat(config.at("/service/extensions").toString()).isEqualTo("[\"health_check\"]");
        assertThat(config.get("exporters").fieldNames())
                .toIterable()
                .containsExactly("file/traces", "file/metrics", "file/logs");
        assertThat(config.at("/exporters/file~1traces/path").asText())
                .isEqualTo("/var/lib/cleanroom-otel/traces.jsonl");
        assertThat(config.at("/exporters/file~1traces/flush_interval").asText()).isEqualTo("100ms");
        assertThat(config.at("/service/pipelines").fieldNames())
                .toIterable()
                .containsExactly("traces", "metrics", "logs");
        assertThat(config.at("/service/pipelines/traces").toString())
                .isEqualTo("{\"receivers\":[\"otlp\"],\"exporters\":[\"file/traces\"]}");
        assertThat(config.has("processors")).as("no batching delay").isFalse();
    }

    @Test
    void exportForwardsEverySignalAndKeepsTheSecretOutOfTheConfig() throws Exception {
        // Arrange
        OtelCollectorSettings settings = toml.settings(HEAD + """
                export.type = "otlp"
                export.endpoint = "http://backend:4317"
                export.headers.x-tenant = "team-a"
                export.auth.value = "Bearer s3cr3t-value"
                debug = true
                """);

        // Act
        String text = CollectorConfig.generate(settings);
        JsonNode config = parse(text);
        ContainerSpec spec = settings.containerSpec(CollectorOutput.BuildUser.ROOT);

        // Assert
        assertThat(config.at("/exporters/otlp~1export").toString())
                .isEqualTo("{\"endpoint\":\"http://backend:4317\","
                        + "\"headers\":{\"x-tenant\":\"team-a\",\"authorization\":\"${env:CLEANROOM_OTEL_EXPORT_AUTH}\"},"
                        + "\"tls\":{\"insecure\":true}}");
        assertThat(config.at("/exporters/debug/verbosity").asText()).isEqualTo("detailed");
        assertThat(config.at("/service/pipelines/logs/exporters").toString())
                .isEqualTo("[\"file/logs\",\"otlp/export\",\"debug\"]");
        assertThat(text).doesNotContain("s3cr3t");
        assertThat(spec.env()).containsEntry("CLEANROOM_OTEL_EXPORT_AUTH", "Bearer s3cr3t-value");
        assertThat(spec.printableEnv()).containsEntry("CLEANROOM_OTEL_EXPORT_AUTH", "****");
        assertThat(spec.toString()).doesNotContain("s3cr3t");
    }

    private static final String SECRET_HEADERS = HEAD + """
            export.endpoint = "https://otlp.vendor.example"
            export.headers.authorization = "Bearer hdr-authz-1111"
            export.headers.proxy-authorization = "Basic hdr-proxy-2222"
            export.headers.x-api-key = "hdr-xapikey-3333"
            export.headers.api-key = "hdr-apikey-4444"
            export.headers.cookie = "session=hdr-cookie-5555"
            export.headers.x-auth-token = "hdr-token-6666"
            export.headers.x-tenant = "team-a"
            """;
    private static final List<String> SECRET_HEADER_VALUES = List.of(
            "Bearer hdr-authz-1111",
            "Basic hdr-proxy-2222",
            "hdr-xapikey-3333",
            "hdr-apikey-4444",
            "session=hdr-cookie-5555",
            "hdr-token-6666");

    @Test
    void exportHeadersWhoseNamesLookSecretAreKeptOutOfTheConfigFileAndPassedAsSecretEnv() throws Exception {
        // Arrange
        OtelCollectorSettings settings = toml.settings(SECRET_HEADERS);

        // Act
        String text = CollectorConfig.generate(settings);
        JsonNode config = parse(text);
        ContainerSpec spec = settings.containerSpec(CollectorOutput.BuildUser.ROOT);

        // Assert: the file names variables; only the ordinary header keeps its value
        assertThat(config.at("/exporters/otlphttp~1export/headers").toString())
                .isEqualTo("{"
                        + "\"authorization\":\"${env:CLEANROOM_OTEL_EXPORT_HEADER_AUTHORIZATION}\","
                        + "\"proxy-authorization\":\"${env:CLEANROOM_OTEL_EXPORT_HEADER_PROXY_AUTHORIZATION}\","
                        + "\"x-api-key\":\"${env:CLEANROOM_OTEL_EXPORT_HEADER_X_API_KEY}\","
                        + "\"api-key\":\"${env:CLEANROOM_OTEL_EXPORT_HEADER_API_KEY}\","
                        + "\"cookie\":\"${env:CLEANROOM_OTEL_EXPORT_HEADER_COOKIE}\","
                        + "\"x-auth-token\":\"${env:CLEANROOM_OTEL_EXPORT_HEADER_X_AUTH_TOKEN}\","
                        + "\"x-tenant\":\"team-a\"}");
        assertThat(text).doesNotContain("hdr-");
        assertThat(spec.env())
                .containsEntry("CLEANROOM_OTEL_EXPORT_HEADER_AUTHORIZATION", "Bearer hdr-authz-1111")
                .containsEntry("CLEANROOM_OTEL_EXPORT_HEADER_COOKIE", "session=hdr-cookie-5555");
        assertThat(spec.secretEnvNames())
                .containsExactlyInAnyOrder(
                        "CLEANROOM_OTEL_EXPORT_HEADER_AUTHORIZATION",
                        "CLEANROOM_OTEL_EXPORT_HEADER_PROXY_AUTHORIZATION",
                        "CLEANROOM_OTEL_EXPORT_HEADER_X_API_KEY",
                        "CLEANROOM_OTEL_EXPORT_HEADER_API_KEY",
                        "CLEANROOM_OTEL_EXPORT_HEADER_COOKIE",
                        "CLEANROOM_OTEL_EXPORT_HEADER_X_AUTH_TOKEN");
    }

    @Test
    void exportHeadersWhoseNamesLookSecretAreMaskedInEveryRendering() throws Exception {
        // Arrange
        OtelCollectorSettings settings = toml.settings(SECRET_HEADERS);
        String logLine = "Forwarding to https://otlp.vendor.example with " + String.join(", ", SECRET_HEADER_VALUES)
                + " for team-a";

        // Act: the container as logged, and a log line or error passed through the run's Redactor
        ContainerSpec spec = settings.containerSpec(CollectorOutput.BuildUser.ROOT);
        String masked = Redactor.forFile(
                        toml.file(SECRET_HEADERS),
                        ServiceFactory.discover(getClass().getClassLoader()))
                .apply(logLine);

        // Assert
        assertThat(spec.printableEnv())
                .containsEntry("CLEANROOM_OTEL_EXPORT_HEADER_AUTHORIZATION", "****")
                .containsEntry("CLEANROOM_OTEL_EXPORT_HEADER_X_API_KEY", "****");
        assertThat(spec.toString()).doesNotContain("hdr-");
        assertThat(masked)
                .isEqualTo("Forwarding to https://otlp.vendor.example with ****, ****, ****, ****, ****, "
                        + "**** for team-a");
    }

    @Test
    void aHeaderSetTwiceIsRefusedWhateverItsCase() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + """
                export.endpoint = "http://backend:4318"
                export.headers.x-api-key = "k-1"
                export.headers.X-API-KEY = "k-2"
                export.headers.Authorization = "Bearer a"
                export.auth.value = "Bearer b"
                """);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:4:1: services.collector.export.headers: \"x-api-key\" and \"X-API-KEY\" name the "
                                + "same header (keep one of them)",
                        "app.clnrm.toml:4:1: services.collector.export.headers: header \"Authorization\" is set by "
                                + "export.headers and by export.auth.value (keep one of them)");
    }

    @Test
    void otlphttpIsTheDefaultExportTypeAndTheAuthHeaderCanBeRenamed() throws Exception {
        // Act
        JsonNode config = parse(CollectorConfig.generate(toml.settings(HEAD + """
                export.endpoint = "https://otlp.vendor.example"
                export.auth.header = "x-api-key"
                export.auth.value = "k-123456"
                """)));

        // Assert
        assertThat(config.at("/exporters/otlphttp~1export").toString())
                .isEqualTo(
                        "{\"endpoint\":"
                                + "\"https://otlp.vendor.example\",\"headers\":{\"x-api-key\":\"${env:CLEANROOM_OTEL_EXPORT_AUTH}\"}}");
    }

    @Test
    void missingConfigFileFailsBeforeStartWithItsPath() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "config_file = \"./nope/otel-config.yaml\"\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:3:1: services.collector.config_file: collector config "
                                + "DIR/nope/otel-config.yaml does not exist (create it, or fix the path; relative paths start at DIR)");
    }

    @Test
    void configFileTheCollectorUserCannotReadFailsBeforeStartWithItsPathAndMode() throws Exception {
        // Arrange
        writeConfig("otel-config.yaml", "rw-------");

        // Act
        List<String> problems = toml.problems(HEAD + "config_file = \"otel-config.yaml\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:3:1: services.collector.config_file: collector config "
                        + "DIR/otel-config.yaml is not readable by the collector, which runs as uid 10001 (mode rw-------) "
                        + "(make it world-readable: chmod o+r DIR/otel-config.yaml)");
    }

    @Test
    void directoryAsConfigFileIsRefused() throws Exception {
        // Arrange
        Files.createDirectories(dir.resolve("conf"));

        // Act
        List<String> problems = toml.problems(HEAD + "config_file = \"conf\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:3:1: services.collector.config_file: collector config "
                        + "DIR/conf is not a file (point config_file at the collector's YAML file)");
    }

    @Test
    void configFileWithoutHealthCheckIsRefusedBecauseItWouldNeverBeReady() throws Exception {
        // Arrange
        Files.writeString(dir.resolve("bare.yaml"), "receivers: {otlp: {protocols: {http: {}}}}\n");

        // Act
        List<String> problems = toml.problems(HEAD + "config_file = \"bare.yaml\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:3:1: services.collector.config_file: collector config "
                        + "DIR/bare.yaml does not enable the health_check extension, so the collector would never report ready "
                        + "(add extensions: {health_check: {endpoint: \"0.0.0.0:13133\"}} and list health_check under "
                        + "service.extensions)");
    }

    @Test
    void badExportKeysAreAllReportedAtOnce() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + """
                export.type = "zipkin"
                export.endpoint = "backend:4318"
                export.headers."bad header" = "x"
                ports = ["4318:4318", "99999"]
                """);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:3:1: services.collector.export.type: unknown exporter type \"zipkin\" "
                                + "(write export.type = \"otlphttp\" (OTLP over HTTP) or \"otlp\" (OTLP over gRPC))",
                        "app.clnrm.toml:4:1: services.collector.export.endpoint: \"backend:4318\" is not an http:// or "
                                + "https:// URL (write e.g. export.endpoint = \"http://backend:4318\")",
                        "app.clnrm.toml:5:1: services.collector.export.headers: \"bad header\" is not a valid HTTP header "
                                + "name (use letters, digits and '-')",
                        "app.clnrm.toml:6:1: services.collector.ports: container port 99999 is outside 1..65535");
    }

    @Test
    void exportWithoutEndpointIsRefused() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "export.auth.value = \"Bearer abc\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:3:1: services.collector.export.auth.value: "
                        + "export.endpoint is missing (add export.endpoint = \"http://backend:4318\" (a service of this file, "
                        + "by name))");
    }

    @Test
    void exportNextToAConfigFileIsRefusedBecauseTheFileReplacesTheGeneratedConfig() throws Exception {
        // Arrange
        writeConfig("otel-config.yaml", "rw-r--r--");

        // Act
        List<String> problems = toml.problems(HEAD + """
                config_file = "otel-config.yaml"
                export.endpoint = "http://backend:4318"
                """);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.collector.export.endpoint: export.* only "
                        + "shapes the generated config, and config_file replaces it (remove export.*, or declare the exporter "
                        + "in DIR/otel-config.yaml)");
    }

    @Test
    void secretOfAWronglyTypedAuthValueIsMaskedInTheProblem() throws Exception {
        // Act
        String text = toml.failureText(HEAD + "export.endpoint = \"http://b:4318\"\nexport.auth.value = 987654321\n");

        // Assert
        assertThat(text).contains("services.collector.export.auth.value: expected a string, found an integer **** (");
    }

    @Test
    void secretOfAWronglyTypedAuthValueNeverShows() throws Exception {
        // Act
        String text = toml.failureText(HEAD + "export.endpoint = \"http://b:4318\"\nexport.auth.value = 987654321\n");

        // Assert
        assertThat(text).doesNotContain("987654321");
    }

    @Test
    void defaultOutputDirIsUnderTheTargetDirectoryOfTheNearestPom() throws Exception {
        // Arrange: a Maven project with its TOML files in src/test/cleanroom
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        OtelToml nested = new OtelToml(dir.resolve("src/test/cleanroom/app.clnrm.toml"));

        // Act
        OtelCollectorSettings settings = nested.settings(HEAD);

        // Assert
        assertThat(settings.outputDir()).isEqualTo(dir.resolve("target/cleanroom/otel/collector"));
    }

    @Test
    void outputDirIsRelativeToTheTomlFile() throws Exception {
        // Act
        OtelCollectorSettings settings = toml.settings(HEAD + "output_dir = \"out/otel\"\nstart_timeout = \"90s\"\n");

        // Assert
        assertThat(settings.outputDir()).isEqualTo(dir.resolve("out/otel"));
        assertThat(toml.settings(HEAD + "start_timeout = \"90s\"\n")
                        .waitPolicy()
                        .timeout())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void startWritesTheConfigCreatesAFreshPrivateDirectoryForTheCollectorAndExportsEndpoints() throws Exception {
        // Arrange: an output directory of an earlier run, with data the new run must not show
        Path out = dir.resolve("target/cleanroom/otel/collector");
        Files.createDirectories(out.resolve("received"));
        Files.writeString(out.resolve("received/traces.jsonl"), "{\"old\":\"run\"}\n");
        Files.writeString(out.resolve("received/mine.jsonl"), "{\"old\":\"run\"}\n");
        OtelCollectorSettings settings = toml.settings(HEAD);
        StubBackend backend = new StubBackend();

        // Act
        ServiceHandle handle = start(settings, backend);

        // Assert
        Path received = out.resolve("received");
        assertThat(handle.endpoints())
                .containsExactly(
                        Map.entry("url", "http://127.0.0.1:34318"),
                        Map.entry("otlp_http", "http://127.0.0.1:34318"),
                        Map.entry("otlp_grpc", "http://127.0.0.1:34317"),
                        Map.entry("health", "http://127.0.0.1:43133/"),
                        Map.entry("output_dir", received.toString()),
                        Map.entry(
                                "traces_file", received.resolve("traces.jsonl").toString()),
                        Map.entry(
                                "metrics_file",
                                received.resolve("metrics.jsonl").toString()),
                        Map.entry("logs_file", received.resolve("logs.jsonl").toString()));
        assertThat(received.resolve("traces.jsonl")).isEmptyFile();
        assertThat(received.resolve("mine.jsonl")).doesNotExist();
        assertThat(mode(out)).isEqualTo("rwxr-xr-x");
        assertThat(mode(received)).isEqualTo("rwx------");
        assertThat(mode(received.resolve("logs.jsonl"))).isEqualTo("rw-------");
        assertThat(mode(out.resolve("collector-config.yaml"))).isEqualTo("rw-r--r--");
        assertThat(parse(Files.readString(out.resolve("collector-config.yaml")))
                        .at("/extensions/health_check/endpoint")
                        .asText())
                .isEqualTo("0.0.0.0:13133");
        assertThat(backend.started()).hasSize(1);
    }

    @Test
    void asRootTheCollectorsDirectoryAndFilesBelongToItsUid10001AndTheContainerKeepsTheImagesUser() throws Exception {
        assumeTrue(isRoot(), "only root can give files to uid 10001; CI builds as root");
        StubBackend backend = new StubBackend();

        // Act
        start(toml.settings(HEAD), backend);

        // Assert
        Path received = dir.resolve("target/cleanroom/otel/collector/received");
        assertThat(Files.getAttribute(received, "unix:uid")).isEqualTo(10001);
        assertThat(Files.getAttribute(received.resolve("traces.jsonl"), "unix:uid"))
                .isEqualTo(10001);
        assertThat(Files.getAttribute(received.getParent().resolve("collector-config.yaml"), "unix:uid"))
                .isEqualTo(0);
        assertThat(backend.started().get(0).user()).isEmpty();
    }

    @Test
    void containerOfABuildThatIsNotRootRunsAsTheBuildsUserWhoOwnsTheCollectorsDirectory() throws Exception {
        // Act
        ContainerSpec spec = toml.settings(HEAD).containerSpec(new CollectorOutput.BuildUser(1000, 1001));

        // Assert
        assertThat(spec.user()).contains("1000:1001");
    }

    @Test
    void anExistingOutputDirKeepsItsMode() throws Exception {
        // Arrange
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwx------"));

        // Act
        start(toml.settings(HEAD + "output_dir = \"out\"\n"), new StubBackend());

        // Assert
        assertThat(mode(out)).isEqualTo("rwx------");
        assertThat(mode(out.resolve("received"))).isEqualTo("rwx------");
    }

    @Test
    void symlinksPlantedWhereCleanroomWritesAreReplacedAndWhatTheyPointAtIsUntouched() throws Exception {
        // Arrange: a file only its owner may read, and links to it at every name the collector's files had
        Path secret = Files.writeString(dir.resolve("secret"), "do not touch\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path out = Files.createDirectories(dir.resolve("target/cleanroom/otel/collector"));
        Files.createDirectories(out.resolve("received"));
        for (String name :
                List.of("traces.jsonl", "collector-config.yaml", "received/traces.jsonl", "received/logs.jsonl")) {
            Files.createSymbolicLink(out.resolve(name), secret);
        }

        // Act
        start(toml.settings(HEAD), new StubBackend());

        // Assert
        assertThat(secret).hasContent("do not touch");
        assertThat(mode(secret)).isEqualTo("rw-------");
        assertThat(out.resolve("received/traces.jsonl")).isRegularFile().isEmptyFile();
        assertThat(Files.isSymbolicLink(out.resolve("collector-config.yaml"))).isFalse();
    }

    @Test
    void outputDirThatIsASymbolicLinkIsRefusedBeforeStartNamingThePath() throws Exception {
        // Arrange
        Files.createSymbolicLink(dir.resolve("out"), Files.createDirectory(dir.resolve("elsewhere")));

        // Act
        List<String> problems = toml.problems(HEAD + "output_dir = \"out\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:3:1: services.collector.output_dir: DIR/out is a "
                        + "symbolic link, which could send the collector's files anywhere (point output_dir at the directory "
                        + "itself, here DIR/elsewhere)");
    }

    @Test
    void outputDirEveryUserMayWriteIntoIsRefusedBeforeStartWithItsMode() throws Exception {
        // Arrange: what Cleanroom 0.x itself left as target/cleanroom/otel/<service>
        Path out = Files.createDirectories(dir.resolve("target/cleanroom/otel/collector"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));

        // Act
        List<String> problems = toml.problems(HEAD);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:1:1: services.collector.output_dir: "
                        + "DIR/target/cleanroom/otel/collector is writable by every user (mode rwxrwxrwx), so another user "
                        + "could replace the collector's files (remove write access for others: chmod o-w "
                        + "DIR/target/cleanroom/otel/collector; an earlier Cleanroom left its default directory so)");
    }

    @Test
    void withAConfigFileNoConfigIsGeneratedAndNoSignalFileIsExported() throws Exception {
        // Arrange
        writeConfig("otel-config.yaml", "rw-r--r--");

        // Act
        ServiceHandle handle = start(toml.settings(HEAD + "config_file = \"otel-config.yaml\"\n"), new StubBackend());

        // Assert
        assertThat(handle.endpoints()).containsOnlyKeys("url", "otlp_http", "otlp_grpc", "health", "output_dir");
        assertThat(dir.resolve("target/cleanroom/otel/collector/collector-config.yaml"))
                .doesNotExist();
    }

    @Test
    void stopAfterAStartThatCouldNotPrepareTheOutputDirStopsNothingAndDoesNotThrow() throws Exception {
        // Arrange: output_dir is fine when the file is read, and a file by the time the run starts
        OtelCollectorSettings settings = toml.settings(HEAD + "output_dir = \"out\"\n");
        Files.writeString(dir.resolve("out"), "not a directory");
        StubBackend backend = new StubBackend();
        Service collector = settings.create(new StubServiceContext("collector", backend));

        // Act
        Throwable startFailure = org.assertj.core.api.Assertions.catchThrowable(collector::start);
        collector.stop();

        // Assert
        assertThat(startFailure).hasMessageContaining("Cannot prepare the output directory " + dir.resolve("out"));
        assertThat(backend.started()).isEmpty();
        assertThat(backend.stopped()).isEmpty();
    }

    @Test
    void stopRemovesTheCollectorsContainerAndKeepsWhatItReceived() throws Exception {
        // Arrange
        StubBackend backend = new StubBackend();
        StubServiceContext context = new StubServiceContext("collector", backend);
        Service collector = toml.settings(HEAD).create(context);
        collector.start();

        // Act
        collector.stop();

        // Assert
        assertThat(backend.stopped()).containsExactly("c1");
        assertThat(dir.resolve("target/cleanroom/otel/collector/received/traces.jsonl"))
                .exists();
        assertThat(context.log().lines())
                .singleElement()
                .asString()
                .startsWith("INFO Collector collector writes what it receives to ");
    }

    /** Starts one collector of one run, as the engine would, and gives its handle. */
    private static ServiceHandle start(OtelCollectorSettings settings, StubBackend backend) throws Exception {
        Service collector = settings.create(new StubServiceContext("collector", backend));
        collector.start();
        return collector.handle();
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(
                Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean isRoot() throws Exception {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    @Test
    void everyKeyHasADescriptionForTheReference() {
        assertThat(new OtelCollectorPlugin().keys())
                .allSatisfy(k -> assertThat(k.doc()).isNotBlank());
        assertThat(new OtelCollectorPlugin()
                        .keys().stream().filter(k -> k.isSecret()).map(k -> k.path()))
                .containsExactly("export.auth.value");
    }
}
