package dev.cleanroom.plugins.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import dev.cleanroom.plugins.TomlFixture;
import dev.cleanroom.plugins.modelserver.ModelServerFixture;
import dev.cleanroom.plugins.modelserver.RefusingBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code vllm} accepts and refuses, and the container it asks for. */
class VllmConfigTest {

    /** Lines 1-3; keys appended start on line 4. */
    private static final String HEAD = "[services.app]\ntype = \"vllm\"\nmodel = \"meta-llama/Llama-2-7b-hf\"\n";

    private static final String TOKEN = "hf_abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path dir;

    private TomlFixture toml;

    @BeforeEach
    void setUp() {
        toml = new TomlFixture(dir);
    }

    /** Read without an HF token from the machine's environment. */
    private VllmDefinition settings(String text) throws Exception {
        return (VllmDefinition) ModelServerFixture.define(new VllmPlugin(n -> null, n -> null), toml.service(text));
    }

    private static ContainerSpec containerSpec(VllmDefinition settings, Optional<GpuRequest> gpu) {
        return settings.server().containerSpec(settings.command(gpu), gpu);
    }

    /** Starts the service as the engine would, on {@code backend}. */
    private static ServiceHandle start(VllmPlugin plugin, ServiceConfig config, RefusingBackend backend)
            throws Exception {
        Service service = ModelServerFixture.define(plugin, config).create(backend);
        service.start();
        return service.handle();
    }

    @Test
    void seedExampleGivesModelFlagOneGpuShmAndHfCache() throws Exception {
        // Arrange: the seed's example
        VllmDefinition settings = settings(HEAD + "gpus = 1\n");

        // Act
        ContainerSpec spec =
                containerSpec(settings, Optional.of(settings.server().gpu().request()));

        // Assert
        assertThat(spec.image()).isEqualTo("vllm/vllm-openai:v0.10.2");
        assertThat(spec.command()).contains(List.of("--model", "meta-llama/Llama-2-7b-hf"));
        assertThat(spec.entrypoint()).isEmpty();
        assertThat(spec.ports()).containsExactly(PortSpec.container(8000));
        assertThat(spec.gpus()).contains(GpuRequest.count(1));
        assertThat(spec.shmSizeBytes()).isEqualTo(8L << 30);
        assertThat(spec.volumes())
                .containsExactly(new VolumeMount(
                        Path.of(System.getProperty("user.home"), ".cache/cleanroom/vllm"),
                        "/root/.cache/huggingface",
                        false));
        assertThat(spec.env()).isEmpty();
        assertThat(settings(HEAD).waitPolicy())
                .isEqualTo(WaitPolicy.of(Duration.ofMillis(500), Duration.ofMinutes(20), 0));
    }

    @Test
    void everyFlagKeyBecomesItsUpstreamFlagInAFixedOrder() throws Exception {
        // Arrange
        VllmDefinition settings =
                settings(HEAD + "served_model_name = \"llama\"\ngpus = 2\ngpu_memory_utilization = 0.85\n"
                        + "max_model_len = 4096\nquantization = \"awq\"\ndtype = \"half\"\nargs = [\"--enforce-eager\"]\n"
                        + "shm_size = \"2g\"\nstart_timeout = \"45m\"\nenv.VLLM_LOGGING_LEVEL = \"DEBUG\"\n");

        // Act
        ContainerSpec spec =
                containerSpec(settings, Optional.of(settings.server().gpu().request()));

        // Assert
        assertThat(spec.command())
                .contains(List.of(
                        "--model",
                        "meta-llama/Llama-2-7b-hf",
                        "--served-model-name",
                        "llama",
                        "--tensor-parallel-size",
                        "2",
                        "--gpu-memory-utilization",
                        "0.85",
                        "--max-model-len",
                        "4096",
                        "--quantization",
                        "awq",
                        "--dtype",
                        "half",
                        "--enforce-eager"));
        assertThat(spec.gpus()).contains(GpuRequest.count(2));
        assertThat(spec.shmSizeBytes()).isEqualTo(2L << 30);
        assertThat(spec.env()).isEqualTo(Map.of("VLLM_LOGGING_LEVEL", "DEBUG"));
        assertThat(settings.server().startTimeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(settings.servedName()).isEqualTo("llama");
    }

    @Test
    void explicitTensorParallelSizeWinsAndDevicesSetTheGpuCount() throws Exception {
        // Arrange
        VllmDefinition devices = settings(HEAD + "gpu_devices = [\"1\", \"3\"]\n");
        VllmDefinition explicit = settings(HEAD + "gpus = 4\ntensor_parallel_size = 2\n");

        // Act
        List<String> fromDevices =
                devices.command(Optional.of(devices.server().gpu().request()));
        List<String> fromKey =
                explicit.command(Optional.of(explicit.server().gpu().request()));

        // Assert
        assertThat(fromDevices).containsSequence("--tensor-parallel-size", "2");
        assertThat(containerSpec(devices, Optional.of(devices.server().gpu().request()))
                        .gpus())
                .contains(GpuRequest.devices(List.of("1", "3")));
        assertThat(fromKey).containsSequence("--tensor-parallel-size", "2");
    }

    @Test
    void hfTokenComesFromTheKeyThenThePropertyThenTheEnvironmentAndIsMaskedInEveryRendering() throws Exception {
        // Arrange
        ServiceConfig config = toml.service(HEAD + "gpu = \"off\"\ncache_dir = \"cache\"\n");
        RefusingBackend backend = new RefusingBackend();
        VllmPlugin plugin = new VllmPlugin(name -> null, name -> name.equals("HF_TOKEN") ? TOKEN : null);

        // Act
        ServiceHandle handle = start(plugin, config, backend);

        // Assert
        ContainerSpec spec = backend.started().get(0);
        assertThat(spec.env()).containsEntry("HF_TOKEN", TOKEN);
        assertThat(spec.secretEnvNames()).containsExactly("HF_TOKEN");
        assertThat(spec.printableEnv()).containsEntry("HF_TOKEN", "****");
        assertThat(spec.toString()).doesNotContain(TOKEN).contains("HF_TOKEN=****");
        assertThat(String.join("\n", backend.logLines()))
                .doesNotContain(TOKEN)
                .contains("INFO HF_TOKEN: from the environment variable HF_TOKEN");
        assertThat(handle.endpoints().toString()).doesNotContain(TOKEN);
        assertThat(handle.endpoints())
                .containsExactly(
                        Map.entry("url", "http://127.0.0.1:32768"),
                        Map.entry("openai_base_url", "http://127.0.0.1:32768/v1"),
                        Map.entry("model", "meta-llama/Llama-2-7b-hf"));
    }

    @Test
    void hfTokenKeyWinsOverThePropertyWhichWinsOverTheEnvironment() throws Exception {
        // Arrange
        ServiceConfig keyed =
                toml.service(HEAD + "gpu = \"off\"\ncache_dir = \"cache\"\nhf_token = \"hf_fromthekey\"\n");
        ServiceConfig plain = toml.service(HEAD + "gpu = \"off\"\ncache_dir = \"cache\"\n");
        VllmPlugin plugin = new VllmPlugin(name -> "hf_fromproperty", name -> "hf_fromenv");
        RefusingBackend first = new RefusingBackend();
        RefusingBackend second = new RefusingBackend();

        // Act
        start(plugin, keyed, first);
        start(plugin, plain, second);

        // Assert
        assertThat(first.started().get(0).env()).containsEntry("HF_TOKEN", "hf_fromthekey");
        assertThat(second.started().get(0).env()).containsEntry("HF_TOKEN", "hf_fromproperty");
        assertThat(second.logLines()).contains("INFO HF_TOKEN: from the system property cleanroom.hf_token");
    }

    @Test
    void hfTokenNeverAppearsInConfigErrors() throws Exception {
        // Act
        String text = toml.failureText(HEAD + "hf_token = \"" + TOKEN + "\"\nquantization = \"int3\"\ngpus = -1\n");

        // Assert
        assertThat(text)
                .contains("services.app.quantization: \"int3\"", "services.app.gpus: -1")
                .doesNotContain(TOKEN);
    }

    @Test
    void autoOnADaemonWithoutGpusFailsBecauseVllmNeedsCuda() throws Exception {
        // Arrange
        ServiceConfig config = toml.service(HEAD + "cache_dir = \"cache\"\n");
        RefusingBackend backend = new RefusingBackend().refuseGpus();

        // Act
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> start(new VllmPlugin(n -> null, n -> null), config, backend));

        // Assert
        assertThat(thrown)
                .hasMessageStartingWith("vLLM needs a GPU (the vllm/vllm-openai image runs on CUDA only), "
                        + "and the Docker daemon cannot provide one: ");
        assertThat(backend.started()).isEmpty();
    }

    // --- errors ---------------------------------------------------------------------------------

    @Test
    void missingModelIsReported() throws Exception {
        // Act
        List<String> problems = toml.problems("[services.app]\ntype = \"vllm\"\ngpus = 1\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:1:1: services.app.model: missing required key for type "
                        + "\"vllm\" (add model = \"...\")");
    }

    @Test
    void unknownQuantizationIsReportedWithTheAcceptedValues() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "quantization = \"int3\"\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:4:1: services.app.quantization: \"int3\" is not a "
                                + "quantization vLLM v0.10.2 accepts (write one of awq, awq_marlin, auto-round, bitblas, bitsandbytes, "
                                + "compressed-tensors, deepspeedfp, experts_int8, fbgemm_fp8, fp8, gguf, gptq, gptq_bitblas, gptq_marlin, "
                                + "gptq_marlin_24, hqq, inc, ipex, modelopt, modelopt_fp4, moe_wna16, mxfp4, petit_nvfp4, ptpc_fp8, quark, "
                                + "rtn, torchao, tpu_int8; for another vLLM version pass args = [\"--quantization\", \"int3\"])");
    }

    @Test
    void everyRangeAndChoiceProblemIsReportedAtOnce() throws Exception {
        // Act
        List<String> problems =
                toml.problems(HEAD + "gpus = -2\ntensor_parallel_size = 0\ngpu_memory_utilization = 1.5\n"
                        + "max_model_len = 0\ndtype = \"fp64\"\nshm_size = \"huge\"\nargs = [\"--model\", \"x\", \"--dtype=half\"]\n"
                        + "served_model_name = \"\"\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:4:1: services.app.gpus: -2 is outside 0..1024 (write a value in range, or remove the "
                                + "key for its default 1)",
                        "app.clnrm.toml:5:1: services.app.tensor_parallel_size: must be at least 1, was 0 (write a value in "
                                + "range, or remove the key for its default GPU count when more than 1)",
                        "app.clnrm.toml:6:1: services.app.gpu_memory_utilization: 1.5 is outside 0.0..1.0 (write a value in "
                                + "range, or remove the key for its default vLLM's (0.9))",
                        "app.clnrm.toml:7:1: services.app.max_model_len: must be at least 1, was 0 (write a value in range, "
                                + "or remove the key for its default the model's)",
                        "app.clnrm.toml:8:1: services.app.dtype: \"fp64\" is not a vLLM dtype (write one of auto, half, "
                                + "float16, bfloat16, float, float32)",
                        "app.clnrm.toml:9:1: services.app.shm_size: \"huge\" is not a size (write e.g. shm_size = \"8g\" "
                                + "(units b, k, m, g))",
                        "app.clnrm.toml:10:1: services.app.args: --model is set by the key model (write model = ... instead "
                                + "of passing --model in args)",
                        "app.clnrm.toml:10:1: services.app.args: --dtype is set by the key dtype (write dtype = ... instead "
                                + "of passing --dtype in args)",
                        "app.clnrm.toml:11:1: services.app.served_model_name: must not be empty (remove it to serve the model "
                                + "under its id)");
    }

    @Test
    void tensorParallelSizeBeyondTheRequestedGpusIsReported() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "gpus = 2\ntensor_parallel_size = 4\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:5:1: services.app.tensor_parallel_size: "
                        + "tensor_parallel_size = 4 needs 4 GPUs, but the service requests 2 GPUs (write gpus = 4, or lower "
                        + "tensor_parallel_size)");
    }

    @Test
    void everyKeyDescriptionNamesItsUpstreamFlag() {
        assertThat(new VllmPlugin().keys())
                .allSatisfy(key -> assertThat(key.doc())
                        .as(key.path())
                        .containsAnyOf("--", "HF_TOKEN", "vllm serve", "VLLM_", "docker run", "/health"));
    }
}
