package dev.cleanroom.plugins.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.testing.StubBackend;
import dev.cleanroom.engine.testing.StubServiceContext;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collector an earlier build left for reuse: when it is adopted, and what it is handed out with. */
class OtelCollectorAdoptionTest {

    private static final String HEAD = "[services.collector]\ntype = \"otel_collector\"\n";
    private static final String CONFIG = """
            receivers: {otlp: {protocols: {http: {endpoint: "0.0.0.0:4318"}}}}
            exporters: {file: {path: /var/lib/cleanroom-otel/mine.jsonl}}
            extensions: {health_check: {endpoint: "0.0.0.0:13133"}}
            service:
              extensions: [health_check]
              pipelines: {traces: {receivers: [otlp], exporters: [file]}}
            """;

    @TempDir
    Path dir;

    private OtelToml toml;
    private Path received;

    @BeforeEach
    void setUp() {
        toml = new OtelToml(dir.resolve("app.clnrm.toml"));
        received = dir.resolve("target/cleanroom/otel/collector/received");
    }

    /** The first build: starts the collector and leaves it running (no stop); its container. */
    private ContainerInfo leftByAnEarlierBuild(String toml) throws Exception {
        return leftByAnEarlierBuild(toml, new StubBackend());
    }

    private ContainerInfo leftByAnEarlierBuild(String toml, StubBackend backend) throws Exception {
        Service collector = this.toml.settings(toml).create(new StubServiceContext("collector", backend));
        collector.start();
        return new ContainerInfo(
                collector.handle().containerId(),
                "clnrm-reuse-x-collector",
                collector.handle().host(),
                collector.handle().ports());
    }

    @Test
    void anAdoptedCollectorExportsWhatAFreshStartExported() throws Exception {
        // Arrange
        StubBackend first = new StubBackend();
        Service fresh = toml.settings(HEAD).create(new StubServiceContext("collector", first));
        fresh.start();
        ContainerInfo running = new ContainerInfo(
                fresh.handle().containerId(),
                "clnrm-reuse-x-collector",
                "127.0.0.1",
                fresh.handle().ports());
        StubBackend second = new StubBackend();
        Service next = toml.settings(HEAD).create(new StubServiceContext("collector", second));

        // Act
        boolean adopted = next.adopt(running);

        // Assert
        assertThat(adopted).isTrue();
        assertThat(second.started())
                .as("containers created by the adopting build")
                .isEmpty();
        assertThat(next.handle()).isEqualTo(fresh.handle());
        assertThat(next.handle().endpoints())
                .containsEntry("traces_file", received.resolve("traces.jsonl").toString());
    }

    @Test
    void aCollectorWhoseReceivedDirectoryWasRemovedIsNotAdopted() throws Exception {
        // Arrange: mvn clean removes target/, the directory the container has mounted with it
        ContainerInfo running = leftByAnEarlierBuild(HEAD);
        deleteTree(dir.resolve("target"));
        StubServiceContext context = new StubServiceContext("collector", new StubBackend());
        Service next = toml.settings(HEAD).create(context);

        // Act
        boolean adopted = next.adopt(running);

        // Assert
        assertThat(adopted).isFalse();
        assertThat(context.log().lines())
                .containsExactly("INFO Not adopting the running collector: " + received
                        + " is not the directory it writes into any more (removed or made anew since)");
    }

    @Test
    void aCollectorWhoseReceivedDirectoryAnotherRunMadeAnewIsNotAdopted() throws Exception {
        // Arrange: a run without reuse of the same file starts its own collector (c2) on the same output_dir
        StubBackend daemon = new StubBackend();
        ContainerInfo running = leftByAnEarlierBuild(HEAD, daemon);
        leftByAnEarlierBuild(HEAD, daemon);
        Service next = toml.settings(HEAD).create(new StubServiceContext("collector", new StubBackend()));

        // Act
        boolean adopted = next.adopt(running);

        // Assert
        assertThat(running.id()).isEqualTo("c1");
        assertThat(adopted).isFalse();
    }

    @Test
    void resetEmptiesTheSignalFilesInPlaceSoTheCollectorsOpenFileKeepsWorking() throws Exception {
        // Arrange: the collector holds traces.jsonl open for appending, as lumberjack does
        ContainerInfo running = leftByAnEarlierBuild(HEAD);
        Path traces = received.resolve("traces.jsonl");
        Service next = toml.settings(HEAD).create(new StubServiceContext("collector", new StubBackend()));
        try (FileChannel collector = FileChannel.open(traces, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            collector.write(ByteBuffer.wrap("{\"span\":\"of the last build\"}\n".getBytes(StandardCharsets.UTF_8)));
            Files.writeString(received.resolve("logs.jsonl"), "{\"log\":\"of the last build\"}\n");
            next.adopt(running);

            // Act
            next.reset();
            collector.write(ByteBuffer.wrap("{\"span\":\"of this build\"}\n".getBytes(StandardCharsets.UTF_8)));
        }

        // Assert
        assertThat(Files.readString(traces)).isEqualTo("{\"span\":\"of this build\"}\n");
        assertThat(received.resolve("logs.jsonl")).isEmptyFile();
        assertThat(received.resolve("metrics.jsonl")).isEmptyFile();
    }

    @Test
    void resetLeavesWhatTheExportersOfAConfigFileWrote() throws Exception {
        // Arrange
        writeConfig(CONFIG);
        String head = HEAD + "config_file = \"collector.yaml\"\n";
        ContainerInfo running = leftByAnEarlierBuild(head);
        Files.writeString(received.resolve("mine.jsonl"), "{\"span\":\"of the last build\"}\n");
        Service next = toml.settings(head).create(new StubServiceContext("collector", new StubBackend()));
        next.adopt(running);

        // Act
        next.reset();

        // Assert
        assertThat(received.resolve("mine.jsonl")).hasContent("{\"span\":\"of the last build\"}");
        assertThat(next.handle().endpoints()).doesNotContainKey("traces_file");
    }

    @Test
    void theConfigFilesContentIsTheReuseFingerprintSoAnEditReplacesAKeptCollector() throws Exception {
        // Arrange: the collector loads config_file once, at start
        writeConfig(CONFIG);
        String head = HEAD + "config_file = \"collector.yaml\"\n";
        String before = toml.settings(head).reuseFingerprint();

        // Act
        writeConfig(CONFIG.replace("mine.jsonl", "spans.jsonl"));
        String after = toml.settings(head).reuseFingerprint();

        // Assert: a generated config follows from the table alone
        assertThat(before).startsWith("sha256:").isNotEqualTo(after);
        assertThat(toml.settings(HEAD).reuseFingerprint()).isEmpty();
    }

    @Test
    void resetDoesNotWriteThroughALinkTheCollectorPutInPlaceOfASignalFile() throws Exception {
        // Arrange: received/ is the container's to write in; a link there must not reach a file of the build's
        ContainerInfo running = leftByAnEarlierBuild(HEAD);
        Path precious = Files.writeString(dir.resolve("precious.txt"), "keep me");
        Files.delete(received.resolve("traces.jsonl"));
        Files.createSymbolicLink(received.resolve("traces.jsonl"), precious);
        Service next = toml.settings(HEAD).create(new StubServiceContext("collector", new StubBackend()));
        next.adopt(running);

        // Act
        next.reset();

        // Assert
        assertThat(precious).hasContent("keep me");
        assertThat(received.resolve("traces.jsonl")).isSymbolicLink();
    }

    /** A config_file the collector may read: world-readable, as it runs as uid 10001. */
    private void writeConfig(String text) throws Exception {
        Path config = dir.resolve("collector.yaml");
        Files.writeString(config, text);
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void deleteTree(Path root) throws Exception {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }
}
