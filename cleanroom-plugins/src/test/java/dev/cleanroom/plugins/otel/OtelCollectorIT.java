package dev.cleanroom.plugins.otel;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.plugins.DockerCli;
import dev.cleanroom.plugins.ReuseBuilds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * otel_collector on a real Docker daemon, with the stand-in image (scripts/fixtures/otel) in place
 * of otel/opentelemetry-collector-contrib, fed by the OpenTelemetry Java SDK's OTLP exporter.
 */
class OtelCollectorIT {

    static final String STANDIN = "cleanroom/otel-standin:fixture";

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();
    private final CleanroomEngine engine =
            CleanroomEngine.builder().project(project).build();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void nothingOfTheRunRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    private Path write(String toml) throws IOException {
        Path file = dir.resolve("otel.clnrm.toml");
        Files.writeString(file, toml.replace("STANDIN", STANDIN).replace("BUSYBOX", BUSYBOX));
        return file;
    }

    /** Sends one SERVER span named {@code name} through the SDK's OTLP/HTTP (protobuf) exporter; its trace id. */
    static String sendSpan(String otlpHttp, String name) {
        return sendSpan(
                OtlpHttpSpanExporter.builder()
                        .setEndpoint(otlpHttp + "/v1/traces")
                        .setTimeout(Duration.ofSeconds(5))
                        .build(),
                otlpHttp,
                name);
    }

    private static String sendSpan(SpanExporter exporter, String endpoint, String name) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop"))))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        try {
            Span span = provider.get("cleanroom-it", "1.0")
                    .spanBuilder(name)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("order.id", 42L)
                    .startSpan();
            String traceId = span.getSpanContext().getTraceId();
            span.end();
            CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(flushed.isSuccess())
                    .as("the SDK's export to " + endpoint + " succeeded")
                    .isTrue();
            return traceId;
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** Every span in an OTLP/JSON lines file, with its resource and scope, once one named {@code name} is there. */
    private List<Map<String, JsonNode>> awaitSpan(Path file, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Map<String, JsonNode>> spans = List.of();
        while (System.nanoTime() < deadline) {
            spans = spans(file);
            if (spans.stream().anyMatch(s -> s.get("span").path("name").asText().equals(name))) {
                return spans;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no span named " + name + " in " + file + " within 10 s; found " + spans);
    }

    private List<Map<String, JsonNode>> spans(Path file) throws IOException {
        List<Map<String, JsonNode>> spans = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            for (JsonNode resourceSpans : json.readTree(line).path("resourceSpans")) {
                for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                    for (JsonNode span : scopeSpans.path("spans")) {
                        spans.add(Map.of(
                                "resource",
                                resourceSpans.path("resource"),
                                "scope",
                                scopeSpans.path("scope"),
                                "span",
                                span));
                    }
                }
            }
        }
        return spans;
    }

    @Test
    void spansExportedWithTheOpenTelemetrySdkToTheExportedEndpointAreCollected() throws Exception {
        // Arrange
        Path file = write("""
                [services.collector]
                type = "otel_collector"
                image = "STANDIN"
                """);

        try (Environment environment = engine.start(engine.load(file))) {
            Map<String, String> properties = environment.exportedProperties();
            String otlpHttp = properties.get("cleanroom.collector.otlp_http");

            // Act
            String traceId = sendSpan(otlpHttp, "checkout");

            // Assert
            Path traces = Path.of(properties.get("cleanroom.collector.traces_file"));
            Map<String, JsonNode> found = awaitSpan(traces, "checkout").stream()
                    .filter(s -> s.get("span").path("name").asText().equals("checkout"))
                    .findFirst()
                    .orElseThrow();
            assertThat(otlpHttp).startsWith("http://127.0.0.1:");
            assertThat(properties.get("cleanroom.collector.otlp_grpc")).startsWith("http://127.0.0.1:");
            assertThat(traces).isEqualTo(dir.resolve("target/cleanroom/otel/collector/received/traces.jsonl"));
            assertThat(found.get("span").path("traceId").asText()).isEqualTo(traceId);
            assertThat(found.get("span").path("kind").asInt())
                    .as("SPAN_KIND_SERVER")
                    .isEqualTo(2);
            assertThat(found.get("span").path("attributes").toString())
                    .isEqualTo("[{\"key\":\"order.id\",\"value\":{\"intValue\":\"42\"}}]");
            assertThat(found.get("scope").path("name").asText()).isEqualTo("cleanroom-it");
            assertThat(found.get("resource").path("attributes").toString())
                    .contains("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"shop\"}}");
            String user = DockerCli.run(
                    "exec",
                    environment.service("collector").orElseThrow().handle().containerId(),
                    "id",
                    "-u");
            assertThat(user).as("the collector's non-root user").isEqualTo("10001");
        }
    }

    @Test
    void aSecondBuildWithReuseAdoptsTheCollectorWithNoneOfTheFirstBuildsSpans() throws Exception {
        // Arrange: the first build's tests send a span, and the build leaves the collector running
        Path file = write("""
                [services.collector]
                type = "otel_collector"
                image = "STANDIN"
                """);

        // Act + Assert: handed out empty, as a fresh collector is, and it still writes where the tests read
        new ReuseBuilds(project, dir)
                .roundTrip(
                        file,
                        "collector",
                        "otel_collector",
                        environment -> {
                            Map<String, String> properties = environment.exportedProperties();
                            sendSpan(properties.get("cleanroom.collector.otlp_http"), "first-build");
                            awaitSpan(Path.of(properties.get("cleanroom.collector.traces_file")), "first-build");
                        },
                        (reused, log) -> {
                            Map<String, String> properties = reused.exportedProperties();
                            Path traces = Path.of(properties.get("cleanroom.collector.traces_file"));
                            assertThat(traces).isEmptyFile();
                            sendSpan(properties.get("cleanroom.collector.otlp_http"), "second-build");
                            assertThat(awaitSpan(traces, "second-build"))
                                    .extracting(s -> s.get("span").path("name").asText())
                                    .containsExactly("second-build");
                        });
    }

    @Test
    void spansExportedOverOtlpGrpcWithTheSdkAreCollected() throws Exception {
        // Arrange
        Path file = write("""
                [services.collector]
                type = "otel_collector"
                image = "STANDIN"
                """);

        try (Environment environment = engine.start(engine.load(file))) {
            Map<String, String> properties = environment.exportedProperties();
            String otlpGrpc = properties.get("cleanroom.collector.otlp_grpc");

            // Act
            String traceId = sendSpan(
                    OtlpGrpcSpanExporter.builder()
                            .setEndpoint(otlpGrpc)
                            .setTimeout(Duration.ofSeconds(5))
                            .build(),
                    otlpGrpc,
                    "checkout-over-grpc");

            // Assert
            Path traces = Path.of(properties.get("cleanroom.collector.traces_file"));
            Map<String, JsonNode> found = awaitSpan(traces, "checkout-over-grpc").stream()
                    .filter(s -> s.get("span").path("name").asText().equals("checkout-over-grpc"))
                    .findFirst()
                    .orElseThrow();
            assertThat(found.get("span").path("traceId").asText()).isEqualTo(traceId);
            assertThat(found.get("resource").path("attributes").toString())
                    .contains("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"shop\"}}");
        }
    }

    @Test
    void stepPostsOtlpJsonToTheCollectorByServiceNameAndAnotherFindsItInTheFile() throws Exception {
        // Arrange: the checker mounts the output directory, which must exist when the file is checked
        Files.createDirectories(dir.resolve("otel-out"));
        Path file = write("""
                [services.collector]
                type = "otel_collector"
                image = "STANDIN"
                output_dir = "otel-out"

                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                depends_on = ["collector"]
                volumes = ["./otel-out:/otel:ro"]

                [[steps]]
                name = "post_otlp_json_by_name"
                service = "app"
                command = ["wget", "-q", "-O", "-", "--header", "Content-Type: application/json", "--post-data",
                  '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"app"}}]},"scopeSpans":[{"scope":{"name":"wget"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"from-busybox","kind":3,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000"}]}]}]}',
                  "http://collector:4318/v1/traces"]
                expected_output_regex = "^\\\\{\\\\}$"

                [[steps]]
                name = "span_is_in_the_file"
                service = "app"
                command = ["sh", "-c", "for i in $(seq 50); do grep -q '\\"name\\":\\"from-busybox\\"' /otel/received/traces.jsonl && exit 0; sleep 0.1; done; exit 1"]
                """);

        // Act
        RunReport report = engine.run(engine.load(file));

        // Assert
        assertThat(report.passed()).as(report.steps().toString()).isTrue();
        List<String> lines = Files.readAllLines(dir.resolve("otel-out/received/traces.jsonl"));
        assertThat(lines)
                .singleElement()
                .satisfies(line -> assertThat(json.readTree(line)
                                .at("/resourceSpans/0/scopeSpans/0/spans/0/spanId")
                                .asText())
                        .isEqualTo("eee19b7ec3c1b174"));
    }

    @Test
    void exportForwardsToAnotherCollectorWithTheSecretHeaderKeptOutOfTheConfigFile() throws Exception {
        // Arrange
        Path file = write("""
                [services.central]
                type = "otel_collector"
                image = "STANDIN"

                [services.edge]
                type = "otel_collector"
                image = "STANDIN"
                depends_on = ["central"]
                export.endpoint = "http://central:4318"
                export.headers.x-tenant = "team-a"
                export.headers.x-api-key = "key-s3cr3t"
                export.auth.value = "Bearer forwarded-s3cr3t"
                """);

        try (Environment environment = engine.start(engine.load(file))) {
            Map<String, String> properties = environment.exportedProperties();

            // Act
            String traceId = sendSpan(properties.get("cleanroom.edge.otlp_http"), "forwarded");

            // Assert
            assertThat(awaitSpan(Path.of(properties.get("cleanroom.central.traces_file")), "forwarded"))
                    .anySatisfy(s ->
                            assertThat(s.get("span").path("traceId").asText()).isEqualTo(traceId));
            assertThat(awaitSpan(Path.of(properties.get("cleanroom.edge.traces_file")), "forwarded"))
                    .isNotEmpty();
            assertThat(Files.readString(dir.resolve("target/cleanroom/otel/edge/collector-config.yaml")))
                    .containsPattern("\"authorization\"\\s*:\\s*\"\\$\\{env:CLEANROOM_OTEL_EXPORT_AUTH}\"")
                    .containsPattern("\"x-api-key\"\\s*:\\s*\"\\$\\{env:CLEANROOM_OTEL_EXPORT_HEADER_X_API_KEY}\"")
                    .doesNotContain("s3cr3t");
        }
    }

    @Test
    void userConfigFileInRealYamlIsMountedAndItsFileExporterWritesIntoTheOutputDirectory() throws Exception {
        // Arrange
        Path config = dir.resolve("otel-config.yaml");
        Files.writeString(config, """
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 0.0.0.0:4318
                exporters:
                  file:
                    path: /var/lib/cleanroom-otel/mine.jsonl
                extensions:
                  health_check:
                    endpoint: 0.0.0.0:13133
                service:
                  extensions: [health_check]
                  pipelines:
                    traces:
                      receivers: [otlp]
                      exporters: [file]
                """);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Path file = write("""
                [services.collector]
                type = "otel_collector"
                image = "STANDIN"
                config_file = "./otel-config.yaml"
                """);

        try (Environment environment = engine.start(engine.load(file))) {
            Map<String, String> properties = environment.exportedProperties();

            // Act
            sendSpan(properties.get("cleanroom.collector.otlp_http"), "configured");

            // Assert
            assertThat(awaitSpan(Path.of(properties.get("cleanroom.collector.output_dir"), "mine.jsonl"), "configured"))
                    .isNotEmpty();
            assertThat(properties).doesNotContainKey("cleanroom.collector.traces_file");
        }
    }

    @Test
    void unreadableConfigFileFailsBeforeAnyContainerStartsNamingThePath() throws Exception {
        // Arrange
        Path config = dir.resolve("secret-config.yaml");
        Files.writeString(config, "extensions: {health_check: {endpoint: 0.0.0.0:13133}}\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Path file = write("""
                [services.collector]
                type = "otel_collector"
                image = "STANDIN"
                config_file = "secret-config.yaml"
                """);

        // Act
        Throwable thrown = catchThrowable(() -> engine.start(engine.load(file)).close());

        // Assert
        assertThat(thrown)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("services.collector.config_file: collector config " + config
                        + " is not readable by the collector, "
                        + "which runs as uid 10001 (mode rw-------) (make it world-readable: chmod o+r " + config
                        + ")");
        assertThat(DockerCli.containersOf(project)).isEmpty();
    }
}
