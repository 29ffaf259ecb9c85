package dev.cleanroom.plugins.tgi;

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

/** A {@code tgi} service's settings, read once with every problem collected. */
record TgiSettings(String image, String model, Optional<String> revision, Optional<String> quantize,
                   Optional<Integer> numShard, Optional<String> dtype, Optional<Long> maxInputTokens,
                   Optional<Long> maxTotalTokens, long shmSizeBytes, Path cacheDir, List<String> args,
                   Map<String, String> env, GpuSettings gpu, Duration startTimeout) {

    static final String REPOSITORY = "ghcr.io/huggingface/text-generation-inference";
    /** See the package documentation for why this tag. */
    static final String PINNED_TAG = "3.3.5";
    static final String DEFAULT_SHM = "1g";
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(20);

    /** text-generation-launcher's --quantize choices (TGI 3.x). */
    static final List<String> QUANTIZES = List.of("awq", "compressed-tensors", "eetq", "exl2", "gptq", "marlin",
            "bitsandbytes", "bitsandbytes-nf4", "bitsandbytes-fp4", "fp8");
    static final List<String> DTYPES = List.of("float16", "bfloat16");

    static final Map<String, String> MANAGED_FLAGS = managedFlags();

    private static Map<String, String> managedFlags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--model-id", "model");
        flags.put("--revision", "revision");
        flags.put("--quantize", "quantize");
        flags.put("--num-shard", "num_shard");
        flags.put("--dtype", "dtype");
        flags.put("--max-input-tokens", "max_input_tokens");
        flags.put("--max-total-tokens", "max_total_tokens");
        flags.put("--hostname", "");
        flags.put("--port", "");
        return java.util.Collections.unmodifiableMap(flags);
    }

    static TgiSettings read(ServiceConfig config, List<ConfigProblem> problems) {
        String image = ServerImage.read(config, REPOSITORY, PINNED_TAG, problems);
        String model = config.string("model", "");
        if (config.has("model") && model.isBlank()) {
            problems.add(config.problem("model", "must not be empty",
                    "write a Hugging Face model id, e.g. model = \"HuggingFaceH4/zephyr-7b-beta\""));
        }
        GpuSettings gpu = GpuSettings.read(config, GpuRequest.count(1), problems);
        Optional<String> quantize = config.string("quantize");
        quantize.filter(q -> !QUANTIZES.contains(q)).ifPresent(q -> problems.add(config.problem("quantize",
                "\"" + q + "\" is not a TGI quantization", "write one of " + String.join(", ", QUANTIZES))));
        Optional<Integer> shards = config.integer("num_shard").map(Long::intValue);
        if (shards.isPresent() && shards.get() < 1) {
            problems.add(config.problem("num_shard", shards.get() + " is less than 1",
                    "write the number of GPUs to shard the model over, e.g. num_shard = 2"));
        } else if (shards.isPresent() && gpu.mode() != GpuMode.OFF && gpu.count() > 0 && shards.get() > gpu.count()) {
            problems.add(config.problem("num_shard", "num_shard = " + shards.get() + " needs " + shards.get()
                    + " GPUs, but the service requests " + gpu.describeRequest(),
                    "write gpus = " + shards.get() + ", or lower num_shard"));
        }
        Optional<String> dtype = config.string("dtype");
        dtype.filter(d -> !DTYPES.contains(d)).ifPresent(d -> problems.add(config.problem("dtype",
                "\"" + d + "\" is not a TGI dtype", "write one of " + String.join(", ", DTYPES))));
        Optional<Long> maxInput = tokens(config, "max_input_tokens", problems);
        Optional<Long> maxTotal = tokens(config, "max_total_tokens", problems);
        if (maxInput.isPresent() && maxTotal.isPresent() && maxInput.get() >= maxTotal.get() && maxInput.get() > 0) {
            problems.add(config.problem("max_input_tokens", "max_input_tokens = " + maxInput.get()
                    + " must be less than max_total_tokens = " + maxTotal.get(),
                    "TGI refuses to start otherwise; lower max_input_tokens"));
        }
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
        return new TgiSettings(image, model, config.string("revision"), quantize, shards, dtype, maxInput, maxTotal,
                shm.filter(s -> s > 0).orElseGet(() -> ByteSizes.parse(DEFAULT_SHM).orElseThrow()),
                CacheDirectory.read(config, TgiPlugin.TYPE, problems), config.stringList("args"),
                config.stringMap("env"), gpu, start);
    }

    private static Optional<Long> tokens(ServiceConfig config, String key, List<ConfigProblem> problems) {
        Optional<Long> value = config.integer(key);
        value.filter(v -> v < 1).ifPresent(v -> problems.add(config.problem(key, v + " is less than 1",
                "write a number of tokens, e.g. " + key + " = 2048")));
        return value;
    }
}
