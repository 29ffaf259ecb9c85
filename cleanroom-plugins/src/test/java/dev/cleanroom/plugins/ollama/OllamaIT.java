package dev.cleanroom.plugins.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult.Status;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.plugins.DockerCli;
import dev.cleanroom.plugins.ReuseBuilds;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ollama} on the real Docker daemon, against the stand-in image (scripts/fixtures/llm):
 * the plugin's real command line, the pull with progress, the cache, errors, GPU fallback.
 */
class OllamaIT {

    static final String STANDIN = "cleanroom/llm-standin:fixture";

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();
    private final RecordingLog log = new RecordingLog();
    private final CleanroomEngine engine =
            CleanroomEngine.builder().project(project).log(log).build();

    @AfterEach
    void nothingOfTheRunRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    private Path write(String toml) throws IOException {
        Path file = dir.resolve("llm.clnrm.toml");
        Files.writeString(
                file,
                toml.replace("STANDIN", STANDIN)
                        .replace("CACHE", dir.resolve("cache").toString()));
        return file;
    }

    @Test
    void seedLlmTestingExampleRunsAgainstTheStandIn() throws Exception {
        // Arrange: the seed's example, plus the stand-in image and a cache of the test's own
        Path file = write("""
                [services.llm]
                type = "ollama"
                model = "llama2"
                gpu_enabled = true
                image = "STANDIN"
                cache_dir = "CACHE"

                [[steps]]
                name = "test_inference"
                service = "llm"
                command = ["curl", "-X", "POST", "http://localhost:11434/api/generate", "-d", '{"model":"llama2","prompt":"Hello"}']
                expected_output_regex = "stand-in"
                """);

        // Act
        RunReport report = engine.run(engine.load(file));

        // Assert
        assertThat(report.passed()).as(report.steps().toString()).isTrue();
        assertThat(report.steps()).singleElement().satisfies(step -> {
            assertThat(step.status()).isEqualTo(Status.PASSED);
            assertThat(step.stdout()).contains("\"response\": \"stand-in \"").contains("\"done\": true");
        });
        assertThat(log.lines())
                .anySatisfy(line -> assertThat(line)
                        .startsWith("WARN [llm] GPU: auto (gpu_enabled = "
                                + "true): the Docker daemon cannot provide GPUs (")
                        .contains("could not select device driver")
                        .endsWith(
                                "starting Ollama on CPU instead. Set gpu = \"off\" to skip the GPU attempt, or gpu = \"on\" "
                                        + "to fail instead."));
        assertThat(log.lines())
                .contains(
                        "INFO [llm] Pulling model llama2 (pull_timeout 30 min)",
                        "INFO [llm] Pulling model llama2: pulling manifest",
                        "INFO [llm] Pulling model llama2: verifying sha256 digest");
        assertThat(log.lines())
                .filteredOn(l -> l.matches(
                        "INFO \\[llm] Pulling model llama2: pulling [0-9a-f]{12}: " + "\\d+% \\(.* of 3\\.8 GB\\)"))
                .hasSizeBetween(5, 13);
        assertThat(log.lines())
                .anySatisfy(l -> assertThat(l).matches("INFO \\[llm] Pulled model llama2 \\(3\\.8 GB\\) in .*"));
    }

    @Test
    void secondRunWithTheSameCacheDoesNotPullAgainAndExportsTheUrl() throws Exception {
        // Arrange
        Path file = write("""
                [services.llm]
                type = "ollama"
                model = "tinyllama"
                image = "STANDIN"
                cache_dir = "CACHE"
                gpu = "off"
                """);
        engine.run(engine.load(file));
        RecordingLog second = new RecordingLog();
        CleanroomEngine again =
                CleanroomEngine.builder().project(project).log(second).build();

        // Act
        try (Environment environment = again.start(again.load(file))) {
            StartedService llm = environment.service("llm").orElseThrow();
            String url = llm.handle().endpoints().get("url");
            String tags = new String(
                    URI.create(url + "/api/tags").toURL().openStream().readAllBytes());

            // Assert
            assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(llm.handle().endpoints()).containsEntry("model", "tinyllama");
            assertThat(tags).contains("\"name\": \"tinyllama:latest\"");
            assertThat(second.lines())
                    .contains(
                            "INFO [llm] GPU: off (gpu = \"off\"): starting Ollama without GPUs",
                            "INFO [llm] Model tinyllama is already in " + dir.resolve("cache") + "; not pulling it");
            assertThat(second.lines()).noneMatch(l -> l.contains("Pulling model"));
            assertThat(DockerCli.run(
                            "inspect",
                            "-f",
                            "{{json .Config.Cmd}}",
                            llm.handle().containerId()))
                    .isEqualTo("[\"serve\"]");
        }
    }

    @Test
    void aSecondBuildWithReuseAdoptsTheServerAndItsModelWithoutAPull() throws Exception {
        // Arrange: the first build pulls the model and leaves the server running
        Path file = write("""
                [services.llm]
                type = "ollama"
                model = "tinyllama"
                image = "STANDIN"
                cache_dir = "CACHE"
                gpu = "off"
                """);

        // Act + Assert
        new ReuseBuilds(project, dir).roundTrip(file, "llm", "ollama", environment -> {}, (reused, second) -> {
            String url =
                    reused.service("llm").orElseThrow().handle().endpoints().get("url");
            String tags = new String(
                    URI.create(url + "/api/tags").toURL().openStream().readAllBytes());
            assertThat(tags).contains("\"name\": \"tinyllama:latest\"");
            assertThat(second.lines())
                    .contains("INFO [llm] Model tinyllama is already in " + dir.resolve("cache") + "; not pulling it")
                    .noneMatch(l -> l.contains("Pulling model"));
        });
    }

    @Test
    void unknownModelFailsWithOllamasMessageAndLeavesNothing() throws Exception {
        // Arrange
        Path file = write("""
                [services.llm]
                type = "ollama"
                model = "no-such-model"
                image = "STANDIN"
                cache_dir = "CACHE"
                gpu = "off"
                """);

        // Act
        Throwable thrown = catchThrowable(() -> engine.run(engine.load(file)));

        // Assert
        assertThat(thrown)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith("Service llm (ollama, "
                        + STANDIN
                        + ") failed after it became healthy: Ollama could not pull model \"no-such-model\": pull "
                        + "model manifest: file does not exist. Perhaps you should check the model name "
                        + "(https://ollama.com/library lists them).");
        assertThat(thrown.getMessage()).endsWith("were removed.");
        assertThat(DockerCli.containersOf(project)).isEmpty();
    }

    @Test
    void gpuOnFailsClearlyOnADaemonWithoutGpusAndLeavesNothing() throws Exception {
        // Arrange
        Path file = write("""
                [services.llm]
                type = "ollama"
                image = "STANDIN"
                cache_dir = "CACHE"
                gpu = "on"
                """);

        // Act
        Throwable thrown = catchThrowable(() -> engine.run(engine.load(file)));

        // Assert
        assertThat(thrown)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("Service llm (ollama, " + STANDIN + ") could not start: GPU required "
                        + "(gpu = \"on\") but the Docker daemon cannot provide all GPUs: ")
                .hasMessageContaining("could not select device driver")
                .hasMessageContaining("Perhaps you should install the NVIDIA Container Toolkit and restart Docker, or "
                        + "set gpu = \"auto\" to run on CPU when no GPU is available.");
        assertThat(DockerCli.containersOf(project)).isEmpty();
    }
}
