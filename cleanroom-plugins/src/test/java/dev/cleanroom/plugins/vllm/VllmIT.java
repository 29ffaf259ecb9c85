package dev.cleanroom.plugins.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StartedService;
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

/** {@code vllm} on the real Docker daemon, against the stand-in image's OpenAI-style API. */
class VllmIT {

    static final String STANDIN = "cleanroom/llm-standin:fixture";
    private static final String TOKEN = "hf_vllmittokenvalue0123456789";

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
        Path file = dir.resolve("vllm.clnrm.toml");
        Files.writeString(
                file,
                toml.replace("STANDIN", STANDIN)
                        .replace("CACHE", dir.resolve("cache").toString())
                        .replace("TOKEN", TOKEN));
        return file;
    }

    @Test
    void aSecondBuildWithReuseAdoptsTheServerStillServingItsModel() throws Exception {
        // Arrange
        Path file = write("""
                [services.inference]
                type = "vllm"
                model = "meta-llama/Llama-2-7b-hf"
                served_model_name = "llama"
                image = "STANDIN"
                cache_dir = "CACHE"
                gpu = "off"
                """);

        // Act + Assert
        new ReuseBuilds(project, dir).roundTrip(file, "inference", "vllm", environment -> {}, (reused, log) -> {
            String base = reused.exportedProperties().get("cleanroom.inference.openai_base_url");
            String models =
                    new String(URI.create(base + "/models").toURL().openStream().readAllBytes());
            assertThat(models).contains("\"id\": \"llama\"");
        });
    }

    @Test
    void servesTheModelOnTheOpenAiBaseUrlWithTheRealCommandLine() throws Exception {
        // Arrange
        Path file = write("""
                [services.inference]
                type = "vllm"
                model = "meta-llama/Llama-2-7b-hf"
                served_model_name = "llama"
                max_model_len = 2048
                image = "STANDIN"
                cache_dir = "CACHE"
                hf_token = "TOKEN"
                gpu = "off"
                """);

        // Act
        try (Environment environment = engine.start(engine.load(file))) {
            StartedService inference = environment.service("inference").orElseThrow();
            String base = inference.handle().endpoints().get("openai_base_url");
            String models =
                    new String(URI.create(base + "/models").toURL().openStream().readAllBytes());
            String id = inference.handle().containerId();

            // Assert
            assertThat(base).matches("http://127\\.0\\.0\\.1:\\d+/v1");
            assertThat(models).contains("\"id\": \"llama\"").contains("\"root\": \"meta-llama/Llama-2-7b-hf\"");
            assertThat(DockerCli.run("inspect", "-f", "{{json .Config.Cmd}}", id))
                    .isEqualTo(
                            "[\"--model\","
                                    + "\"meta-llama/Llama-2-7b-hf\",\"--served-model-name\",\"llama\",\"--max-model-len\",\"2048\"]");
            assertThat(DockerCli.run("inspect", "-f", "{{.HostConfig.ShmSize}}", id))
                    .isEqualTo(Long.toString(8L << 30));
            assertThat(DockerCli.run("inspect", "-f", "{{json .Config.Env}}", id))
                    .contains("HF_TOKEN=" + TOKEN);
            assertThat(DockerCli.run("inspect", "-f", "{{json .HostConfig.DeviceRequests}}", id))
                    .isEqualTo("null");
        }
        assertThat(log.text()).doesNotContain(TOKEN).contains("INFO [inference] HF_TOKEN: from the key hf_token");
    }

    @Test
    void aStepCompletesThroughTheOpenAiApiInsideTheService() throws Exception {
        // Arrange
        Path file = write("""
                [services.inference]
                type = "vllm"
                model = "facebook/opt-125m"
                image = "STANDIN"
                cache_dir = "CACHE"
                gpu_enabled = false

                [[steps]]
                name = "complete"
                service = "inference"
                command = ["curl", "-s", "http://localhost:8000/v1/completions", "-H", "Content-Type: application/json", "-d", '{"model":"facebook/opt-125m","prompt":"Say hi"}']
                expected_output_regex = "stand-in completion for: Say hi"
                """);

        // Act
        RunReport report = engine.run(engine.load(file));

        // Assert
        assertThat(report.passed()).as(report.steps().toString()).isTrue();
    }

    @Test
    void modelTheHubDoesNotKnowFailsTheStartWithTheServersErrorAndLeavesNothing() throws Exception {
        // Arrange: the stand-in answers ids under does-not-exist/ as vLLM does when the Hub says 404
        Path file = write("""
                [services.inference]
                type = "vllm"
                model = "does-not-exist/tiny-model"
                image = "STANDIN"
                cache_dir = "CACHE"
                gpu = "off"
                """);

        // Act
        Throwable thrown = catchThrowable(() -> engine.run(engine.load(file)));

        // Assert
        assertThat(thrown)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith("Service inference (vllm, " + STANDIN + ") exited with code 1 while starting")
                .hasMessageContaining("Last log lines of inference:")
                .hasMessageContaining("| huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error.")
                .hasMessageContaining("| Repository Not Found for url: "
                        + "https://huggingface.co/api/models/does-not-exist/tiny-model/revision/main.");
        assertThat(thrown.getMessage()).endsWith("were removed.");
        assertThat(DockerCli.containersOf(project)).isEmpty();
    }

    @Test
    void gpuAutoOnADaemonWithoutGpusFailsWithTheReasonAndLeavesNothing() throws Exception {
        // Arrange
        Path file = write("""
                [services.inference]
                type = "vllm"
                model = "meta-llama/Llama-2-7b-hf"
                gpus = 1
                image = "STANDIN"
                cache_dir = "CACHE"
                """);

        // Act
        Throwable thrown = catchThrowable(() -> engine.run(engine.load(file)));

        // Assert
        assertThat(thrown)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining(
                        "could not start: vLLM needs a GPU (the vllm/vllm-openai image runs on CUDA only), "
                                + "and the Docker daemon cannot provide one: ")
                .hasMessageContaining("could not select device driver");
        assertThat(DockerCli.containersOf(project)).isEmpty();
    }
}
