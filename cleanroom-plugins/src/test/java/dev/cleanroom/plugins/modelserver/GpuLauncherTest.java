package dev.cleanroom.plugins.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.GpuRequest;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The start-with-fallback every LLM type uses, on a backend that refuses GPUs as Docker does. */
class GpuLauncherTest {

    private static final Function<Optional<GpuRequest>, ContainerSpec> SPEC = gpu -> ContainerSpec.builder("server:1")
            .command(gpu.isPresent() ? List.of("--on-gpu") : List.of("--on-cpu"))
            .gpus(gpu.orElse(null))
            .build();
    private static final String REFUSAL = "Container for image server:1 could not start: could not select device "
            + "driver \"\" with capabilities: [[gpu]]";

    private static GpuSettings settings(GpuMode mode, String reason) {
        return new GpuSettings(mode, GpuRequest.count(1), reason);
    }

    @Test
    void autoUsesTheGpusTheDaemonGives() throws Exception {
        // Arrange
        RefusingBackend backend = new RefusingBackend();

        // Act
        GpuLauncher.Started started = GpuLauncher.start(
                backend, backend.log(), settings(GpuMode.AUTO, "default"), "Ollama", Optional.empty(), SPEC);

        // Assert
        assertThat(started.onGpu()).isTrue();
        assertThat(backend.started()).singleElement().satisfies(s -> {
            assertThat(s.gpus()).contains(GpuRequest.count(1));
            assertThat(s.command()).contains(List.of("--on-gpu"));
        });
        assertThat(backend.logLines())
                .containsExactly("INFO GPU: auto (default): the Docker daemon gave 1 GPU; Ollama runs on GPU");
    }

    @Test
    void autoFallsBackToCpuWithAWarningWhenTheDaemonRefuses() throws Exception {
        // Arrange
        RefusingBackend backend = new RefusingBackend().refuseGpus();

        // Act
        GpuLauncher.Started started = GpuLauncher.start(
                backend, backend.log(), settings(GpuMode.AUTO, "gpu_enabled = true"), "Ollama", Optional.empty(), SPEC);

        // Assert
        assertThat(started.onGpu()).isFalse();
        assertThat(backend.attempts()).extracting(s -> s.gpus().isPresent()).containsExactly(true, false);
        assertThat(backend.started())
                .singleElement()
                .satisfies(s -> assertThat(s.command()).contains(List.of("--on-cpu")));
        assertThat(backend.logLines())
                .containsExactly("WARN GPU: auto (gpu_enabled = true): the Docker daemon cannot "
                        + "provide GPUs (" + REFUSAL
                        + "); starting Ollama on CPU instead. Set gpu = \"off\" to skip the GPU "
                        + "attempt, or gpu = \"on\" to fail instead.");
    }

    @Test
    void autoFallsBackOnAHostWithAnNvidiaRuntimeButNoGpu() throws Exception {
        // Arrange: testcontainers-java #9287
        RefusingBackend backend = new RefusingBackend()
                .refuseGpus(
                        "Container for image %s could not start: OCI "
                                + "runtime create failed: nvidia-container-cli: initialization error: nvml error: driver not loaded");

        // Act
        GpuLauncher.Started started = GpuLauncher.start(
                backend, backend.log(), settings(GpuMode.AUTO, "default"), "TGI", Optional.empty(), SPEC);

        // Assert
        assertThat(started.onGpu()).isFalse();
        assertThat(backend.logLines())
                .singleElement()
                .asString()
                .startsWith("WARN GPU: auto (default): the Docker " + "daemon cannot provide GPUs (")
                .contains("nvml error: driver not loaded")
                .contains("starting TGI on CPU");
    }

    @Test
    void onFailsClearlyWhenTheDaemonRefuses() {
        // Arrange
        RefusingBackend backend = new RefusingBackend().refuseGpus();

        // Act
        Throwable thrown = catchThrowable(() -> GpuLauncher.start(
                backend, backend.log(), settings(GpuMode.ON, "gpu = \"on\""), "Ollama", Optional.empty(), SPEC));

        // Assert
        assertThat(thrown)
                .isInstanceOf(CleanroomException.class)
                .hasMessage(
                        "GPU required (gpu = \"on\") but the "
                                + "Docker daemon cannot provide 1 GPU: " + REFUSAL
                                + ". Perhaps you should install the NVIDIA "
                                + "Container Toolkit and restart Docker, or set gpu = \"auto\" to run on CPU when no GPU is available.");
        assertThat(backend.started()).isEmpty();
    }

    @Test
    void autoFailsWithTheReasonForAServerThatCannotRunOnCpu() {
        // Arrange
        RefusingBackend backend = new RefusingBackend().refuseGpus();

        // Act
        Throwable thrown = catchThrowable(() -> GpuLauncher.start(
                backend,
                backend.log(),
                settings(GpuMode.AUTO, "default"),
                "vLLM",
                Optional.of("the vllm/vllm-openai image runs on CUDA only"),
                SPEC));

        // Assert
        assertThat(thrown)
                .isInstanceOf(CleanroomException.class)
                .hasMessage("vLLM needs a GPU (the vllm/vllm-openai "
                        + "image runs on CUDA only), and the Docker daemon cannot provide one: " + REFUSAL
                        + ". Perhaps you "
                        + "should run on a host with an NVIDIA GPU and the NVIDIA Container Toolkit, or set gpu = \"off\" and "
                        + "an image of vLLM built for CPU.");
        assertThat(backend.started()).isEmpty();
    }

    @Test
    void onlyTheGpuRefusedReasonFallsBackNotAMessageThatMerelyReadsLikeOne() {
        // Arrange: the daemon's GPU wording, but the Docker client did not classify it as a GPU refusal
        RefusingBackend backend = new RefusingBackend().failEveryStart(REFUSAL);

        // Act
        Throwable thrown = catchThrowable(() -> GpuLauncher.start(
                backend, backend.log(), settings(GpuMode.AUTO, "default"), "Ollama", Optional.empty(), SPEC));

        // Assert
        assertThat(thrown).isInstanceOf(CleanroomException.class).hasMessage(REFUSAL);
        assertThat(backend.attempts()).hasSize(1);
    }

    @Test
    void aFailedGpuOnlyStartKeepsTheGpuRefusedReason() {
        // Arrange
        RefusingBackend backend = new RefusingBackend().refuseGpus();

        // Act
        Throwable thrown = catchThrowable(() -> GpuLauncher.start(
                backend, backend.log(), settings(GpuMode.ON, "gpu = \"on\""), "TGI", Optional.empty(), SPEC));

        // Assert
        assertThat(((CleanroomException) thrown).reason()).isEqualTo(CleanroomException.Reason.GPU_REFUSED);
    }

    @Test
    void offNeverAsksForGpus() throws Exception {
        // Arrange
        RefusingBackend backend = new RefusingBackend().refuseGpus();

        // Act
        GpuLauncher.start(
                backend, backend.log(), settings(GpuMode.OFF, "gpu = \"off\""), "vLLM", Optional.of("CUDA only"), SPEC);

        // Assert
        assertThat(backend.attempts())
                .singleElement()
                .satisfies(s -> assertThat(s.gpus()).isEmpty());
        assertThat(backend.logLines()).containsExactly("INFO GPU: off (gpu = \"off\"): starting vLLM without GPUs");
    }

    @Test
    void failuresThatAreNotAboutGpusAreNotRetried() {
        // Arrange
        RefusingBackend backend = new RefusingBackend().failEveryStart("Image \"server:1\" is not present locally");

        // Act
        Throwable thrown = catchThrowable(() -> GpuLauncher.start(
                backend, backend.log(), settings(GpuMode.AUTO, "default"), "Ollama", Optional.empty(), SPEC));

        // Assert
        assertThat(thrown).hasMessage("Image \"server:1\" is not present locally");
        assertThat(backend.attempts()).hasSize(1);
        assertThat(backend.logLines()).isEmpty();
    }
}
