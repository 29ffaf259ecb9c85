package dev.cleanroom.plugins.vllm;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.plugins.gpu.ByteSizes;
import dev.cleanroom.plugins.gpu.CacheDirectory;
import dev.cleanroom.plugins.gpu.GpuMode;
import dev.cleanroom.plugins.gpu.GpuSettings;
import dev.cleanroom.plugins.gpu.ServerArgs;
import dev.cleanroom.plugins.gpu.ServerImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@code vllm} service's settings, read once with every problem collected. */
record VllmSettings(String image, String model, Optional<String> servedModelName, Optional<Integer> tensorParallelSize,
                    Optional<Double> gpuMemoryUtilization, Optional<Long> maxModelLen, Optional<String> quantization,
                    Optional<String> dtype, long shmSizeBytes, Path cacheDir, List<String> args,
                    Map<String, String> env, GpuSettings gpu, Duration startTimeout) {

    static final String REPOSITORY = "vllm/vllm-openai";
    /** See the package documentation for why this tag. */
    static final String PINNED_TAG = "v0.10.2";
    static final String DEFAULT_SHM = "8g";
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(20);

    /** vLLM v0.10.2's --quantization choices; other versions differ, hence args as the way out. */
    static final List<String> QUANTIZATIONS = List.of("awq", "awq_marlin", "auto-round", "bitblas", "bitsandbytes",
            "compressed-tensors", "deepspeedfp", "experts_int8", "fbgemm_fp8", "fp8", "gguf", "gptq", "gptq_bitblas",
            "gptq_marlin", "gptq_marlin_24", "hqq", "inc", "ipex", "modelopt", "modelopt_fp4", "moe_wna16", "mxfp4",
            "petit_nvfp4", "ptpc_fp8", "quark", "rtn", "torchao", "tpu_int8");
    static final List<String> DTYPES = List.of("auto", "half", "float16", "bfloat16", "float", "float32");

    /** Upstream flag to the key that sets it. */
    static final Map<String, String> MANAGED_FLAGS = managedFlags();

    private static Map<String, String> managedFlags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--model", "model");
        flags.put("--served-model-name", "served_model_name");
        flags.put("--tensor-parallel-size", "tensor_parallel_size");
        flags.put("-tp", "tensor_parallel_size");
        flags.put("--gpu-memory-utilization", "gpu_memory_utilization");
        flags.put("--max-model-len", "max_model_len");
        flags.put("--quantization", "quantization");
        flags.put("-q", "quantization");
        flags.put("--dtype", "dtype");
        return java.util.Collections.unmodifiableMap(flags);
    }

    static VllmSettings read(ServiceConfig config, List<ConfigProblem> problems) {
        String image = ServerImage.read(config, REPOSITORY, PINNED_TAG, problems);
        String model = config.string("model", "");
        if (config.has("model") && model.isBlank()) {
            problems.add(config.problem("model", "must not be empty",
                    "write a Hugging Face model id, e.g. model = \"meta-llama/Llama-2-7b-hf\""));
        }
        Optional<String> served = config.string("served_model_name");
        served.filter(String::isBlank).ifPresent(s -> problems.add(config.problem("served_model_name",
                "must not be empty", "remove it to serve the model under its id")));
        GpuSettings gpu = GpuSettings.read(config, GpuRequest.count(1), problems);
        Optional<Integer> tp = config.integer("tensor_parallel_size").map(Long::intValue);
        if (tp.isPresent() && tp.get() < 1) {
            problems.add(config.problem("tensor_parallel_size", tp.get() + " is less than 1",
                    "write the number of GPUs to split the model over, e.g. tensor_parallel_size = 2"));
        } else if (tp.isPresent() && gpu.mode() != GpuMode.OFF && gpu.count() > 0 && tp.get() > gpu.count()) {
            problems.add(config.problem("tensor_parallel_size", "tensor_parallel_size = " + tp.get() + " needs "
                    + tp.get() + " GPUs, but the service requests " + gpu.describeRequest(),
                    "write gpus = " + tp.get() + ", or lower tensor_parallel_size"));
        }
        Optional<Double> utilization = config.number("gpu_memory_utilization");
        utilization.filter(u -> !(u > 0 && u <= 1)).ifPresent(u -> problems.add(config.problem(
                "gpu_memory_utilization", ServerArgs.number(u) + " is outside 0..1 (exclusive of 0)",
                "write the fraction of GPU memory vLLM may use, e.g. gpu_memory_utilization = 0.9")));
        Optional<Long> maxLen = config.integer("max_model_len");
        maxLen.filter(l -> l < 1).ifPresent(l -> problems.add(config.problem("max_model_len",
                l + " is less than 1", "write the context length in tokens, e.g. max_model_len = 4096")));
        Optional<String> quantization = config.string("quantization");
        quantization.filter(q -> !QUANTIZATIONS.contains(q)).ifPresent(q -> problems.add(config.problem(
                "quantization", "\"" + q + "\" is not a quantization vLLM " + PINNED_TAG + " accepts",
                "write one of " + String.join(", ", QUANTIZATIONS) + "; for another vLLM version pass "
                        + "args = [\"--quantization\", \"" + q + "\"]")));
        Optional<String> dtype = config.string("dtype");
        dtype.filter(d -> !DTYPES.contains(d)).ifPresent(d -> problems.add(config.problem("dtype",
                "\"" + d + "\" is not a vLLM dtype", "write one of " + String.join(", ", DTYPES))));
        String shmText = config.string("shm_size", DEFAULT_SHM);
        Optional<Long> shm = ByteSizes.parse(shmText);
        if (shm.isEmpty() || shm.get() == 0) {
            problems.add(config.problem("shm_size", "\"" + shmText + "\" is not a size",
                    "write e.g. shm_size = \"" + DEFAULT_SHM + "\" (units b, k, m, g)"));
        }
        ServerArgs.checkManaged(config, MANAGED_FLAGS, problems);
        Duration start = config.duration("start_timeout", DEFAULT_START_TIMEOUT);
        if (start.isZero()) {
            problems.add(config.problem("start_timeout", "must be more than 0", "write e.g. start_timeout = \"20m\""));
            start = DEFAULT_START_TIMEOUT;
        }
        return new VllmSettings(image, model, served, tp, utilization, maxLen, quantization, dtype,
                shm.filter(s -> s > 0).orElseGet(() -> ByteSizes.parse(DEFAULT_SHM).orElseThrow()),
                CacheDirectory.read(config, VllmPlugin.TYPE, problems), config.stringList("args"),
                config.stringMap("env"), gpu, start);
    }

    /** The name clients send as "model": served_model_name, else the model id. */
    String servedName() {
        return servedModelName.orElse(model);
    }
}
