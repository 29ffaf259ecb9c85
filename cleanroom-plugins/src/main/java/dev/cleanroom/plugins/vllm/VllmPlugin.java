package dev.cleanroom.plugins.vllm;

import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.plugins.modelserver.ModelServerType;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code vllm}: a vLLM OpenAI-compatible server ({@code vllm/vllm-openai}) on port 8000, ready once
 * {@code GET /health} answers and {@code GET /v1/models} lists the served model.
 *
 * <p>Its keys, with their defaults and upstream flags, are listed in the package documentation
 * ({@link dev.cleanroom.plugins.vllm}) and in the generated TOML reference.
 *
 * <p>vLLM's image needs a CUDA GPU: in {@code auto} mode a daemon without GPUs fails the start with
 * a clear message rather than starting a server that cannot run.
 *
 * <p>Exported: {@code url} ({@code http://127.0.0.1:PORT}), {@code openai_base_url} ({@code url} +
 * {@code /v1}) and {@code model} (the served name clients send).
 */
public final class VllmPlugin implements ServicePlugin {

    public static final String TYPE = "vllm";
    /** See the package documentation for why this tag. */
    static final String PINNED_TAG = "v0.10.2";

    static final ModelServerType SERVER = ModelServerType.builder(TYPE, "vLLM", 8000)
            .image("vllm/vllm-openai", PINNED_TAG)
            .models("/root/.cache/huggingface", "the Hugging Face cache")
            .gpus(GpuRequest.count(1))
            .gpuOnly("the vllm/vllm-openai image runs on CUDA only")
            .startTimeout(
                    Duration.ofMinutes(20),
                    "Time vLLM has to download and load the model until GET /health " + "and GET /v1/models answer")
            .shmSize(
                    "8g",
                    "Shared memory for tensor-parallel workers (vLLM's docs: --ipc=host or a large "
                            + "--shm-size); docker run --shm-size")
            .hfToken()
            .env("Environment of the server, e.g. env.VLLM_LOGGING_LEVEL = \"DEBUG\"")
            .build();

    static final Key<String> MODEL =
            Key.string("model").required().doc("Hugging Face model id or path to serve; --model");
    static final Key<String> SERVED_MODEL_NAME = Key.string("served_model_name")
            .defaultDescribedAs("the model id")
            .doc("Name clients send as \"model\"; --served-model-name");
    static final Key<Long> TENSOR_PARALLEL_SIZE = Key.integer("tensor_parallel_size")
            .atLeast(1L)
            .defaultDescribedAs("GPU count when more than 1")
            .doc("GPUs to split the model over; --tensor-parallel-size");
    static final Key<Double> GPU_MEMORY_UTILIZATION = Key.number("gpu_memory_utilization")
            .between(0.0, 1.0)
            .defaultDescribedAs("vLLM's (0.9)")
            .doc("Fraction of GPU memory vLLM may use, 0..1; --gpu-memory-utilization");
    static final Key<Long> MAX_MODEL_LEN = Key.integer("max_model_len")
            .atLeast(1L)
            .defaultDescribedAs("the model's")
            .doc("Context length in tokens; --max-model-len");
    static final Key<String> QUANTIZATION = Key.string("quantization")
            .doc("Quantization method, one of vLLM " + PINNED_TAG + "'s: "
                    + String.join(", ", VllmDefinition.QUANTIZATIONS) + "; --quantization");
    static final Key<String> DTYPE = Key.string("dtype")
            .defaultDescribedAs("vLLM's (auto)")
            .doc("Weights and activations type: " + String.join(", ", VllmDefinition.DTYPES) + "; --dtype");
    static final Key<List<String>> ARGS = Key.strings("args")
            .doc("More vLLM flags, passed after the others as "
                    + "written, e.g. [\"--enforce-eager\"]; vllm serve --help lists them");

    private static final List<Key<?>> KEYS = SERVER.keys(List.of(
            MODEL,
            SERVED_MODEL_NAME,
            TENSOR_PARALLEL_SIZE,
            GPU_MEMORY_UTILIZATION,
            MAX_MODEL_LEN,
            QUANTIZATION,
            DTYPE,
            ARGS));

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    public VllmPlugin() {
        this(System::getProperty, System::getenv);
    }

    /** With the system properties and environment the HF token may come from (tests give their own). */
    VllmPlugin(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "vLLM OpenAI-compatible inference server (vllm/vllm-openai), with GPU control";
    }

    @Override
    public List<Key<?>> keys() {
        return KEYS;
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        return VllmDefinition.read(settings, properties, environment);
    }
}
