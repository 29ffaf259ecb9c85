package dev.cleanroom.plugins.vllm;

import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.plugins.modelserver.ModelServer;
import dev.cleanroom.plugins.modelserver.ModelServerDefinition;
import dev.cleanroom.plugins.modelserver.ServerArgs;
import dev.cleanroom.plugins.modelserver.ServerChecks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A {@code vllm} service as read from its table, once, with every problem reported. */
record VllmDefinition(
        ModelServer server,
        String model,
        Optional<String> servedModelName,
        Optional<Integer> tensorParallelSize,
        Optional<Double> gpuMemoryUtilization,
        Optional<Long> maxModelLen,
        Optional<String> quantization,
        Optional<String> dtype,
        List<String> args)
        implements ModelServerDefinition {

    /** vLLM v0.10.2's --quantization choices; other versions differ, hence args as the way out. */
    static final List<String> QUANTIZATIONS = List.of(
            "awq",
            "awq_marlin",
            "auto-round",
            "bitblas",
            "bitsandbytes",
            "compressed-tensors",
            "deepspeedfp",
            "experts_int8",
            "fbgemm_fp8",
            "fp8",
            "gguf",
            "gptq",
            "gptq_bitblas",
            "gptq_marlin",
            "gptq_marlin_24",
            "hqq",
            "inc",
            "ipex",
            "modelopt",
            "modelopt_fp4",
            "moe_wna16",
            "mxfp4",
            "petit_nvfp4",
            "ptpc_fp8",
            "quark",
            "rtn",
            "torchao",
            "tpu_int8");

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

    static VllmDefinition read(Settings settings, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        ModelServer server = ModelServer.read(settings, VllmPlugin.SERVER, properties, environment);
        String model = ServerChecks.model(settings, VllmPlugin.MODEL, "meta-llama/Llama-2-7b-hf");
        Optional<String> served = settings.find(VllmPlugin.SERVED_MODEL_NAME);
        served.filter(String::isBlank)
                .ifPresent(s -> settings.problem(
                        VllmPlugin.SERVED_MODEL_NAME,
                        "must not be empty",
                        "remove it to serve the model under its id"));
        Optional<Integer> tp = ServerChecks.parallelism(settings, VllmPlugin.TENSOR_PARALLEL_SIZE, server);
        Optional<Double> utilization = settings.find(VllmPlugin.GPU_MEMORY_UTILIZATION);
        // The key's range includes 0, which vLLM refuses: no memory for the model.
        utilization
                .filter(u -> u == 0)
                .ifPresent(u -> settings.problem(
                        VllmPlugin.GPU_MEMORY_UTILIZATION,
                        "must be more than 0",
                        "write the fraction of GPU memory vLLM may use, e.g. gpu_memory_utilization = 0.9"));
        Optional<String> quantization = ServerChecks.oneOf(
                settings,
                VllmPlugin.QUANTIZATION,
                QUANTIZATIONS,
                "a quantization vLLM " + VllmPlugin.PINNED_TAG + " accepts",
                value -> "; for another vLLM version pass args = [\"--quantization\", \"" + value + "\"]");
        Optional<String> dtype = ServerChecks.oneOf(settings, VllmPlugin.DTYPE, DTYPES, "a vLLM dtype");
        ServerArgs.checkManaged(settings, VllmPlugin.ARGS, MANAGED_FLAGS);
        return new VllmDefinition(
                server,
                model,
                served,
                tp,
                utilization.filter(u -> u > 0),
                settings.find(VllmPlugin.MAX_MODEL_LEN),
                quantization,
                dtype,
                settings.find(VllmPlugin.ARGS).orElse(List.of()));
    }

    /** The name clients send as "model": served_model_name, else the model id. */
    String servedName() {
        return servedModelName.orElse(model);
    }

    /** The vLLM command line: only upstream flags, in a fixed order, then {@code args}. */
    List<String> command(Optional<GpuRequest> gpu) {
        List<String> command = new ArrayList<>(List.of("--model", model));
        servedModelName.ifPresent(name -> command.addAll(List.of("--served-model-name", name)));
        int gpus = server.gpu().count();
        Optional<Integer> tp =
                tensorParallelSize.or(() -> gpu.isPresent() && gpus > 1 ? Optional.of(gpus) : Optional.empty());
        tp.ifPresent(size -> command.addAll(List.of("--tensor-parallel-size", Integer.toString(size))));
        gpuMemoryUtilization.ifPresent(u -> command.addAll(List.of("--gpu-memory-utilization", ServerArgs.number(u))));
        maxModelLen.ifPresent(len -> command.addAll(List.of("--max-model-len", Long.toString(len))));
        quantization.ifPresent(q -> command.addAll(List.of("--quantization", q)));
        dtype.ifPresent(d -> command.addAll(List.of("--dtype", d)));
        command.addAll(args);
        return command;
    }

    @Override
    public Service create(ServiceContext context) {
        return new VllmService(this, context);
    }
}
