package dev.cleanroom.plugins.tgi;

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

/** A {@code tgi} service as read from its table, once, with every problem reported. */
record TgiDefinition(
        ModelServer server,
        String model,
        Optional<String> revision,
        Optional<String> quantize,
        Optional<Integer> numShard,
        Optional<String> dtype,
        Optional<Long> maxInputTokens,
        Optional<Long> maxTotalTokens,
        List<String> args)
        implements ModelServerDefinition {

    /** text-generation-launcher's --quantize choices (TGI 3.x). */
    static final List<String> QUANTIZES = List.of(
            "awq",
            "compressed-tensors",
            "eetq",
            "exl2",
            "gptq",
            "marlin",
            "bitsandbytes",
            "bitsandbytes-nf4",
            "bitsandbytes-fp4",
            "fp8");

    static final List<String> DTYPES = List.of("float16", "bfloat16");

    /** Upstream flag to the key that sets it, or to "" for the flags always passed. */
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

    static TgiDefinition read(Settings settings, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        ModelServer server = ModelServer.read(settings, TgiPlugin.SERVER, properties, environment);
        String model = ServerChecks.model(settings, TgiPlugin.MODEL, "HuggingFaceH4/zephyr-7b-beta");
        Optional<String> quantize = ServerChecks.oneOf(settings, TgiPlugin.QUANTIZE, QUANTIZES, "a TGI quantization");
        Optional<Integer> shards = ServerChecks.parallelism(settings, TgiPlugin.NUM_SHARD, server);
        Optional<String> dtype = ServerChecks.oneOf(settings, TgiPlugin.DTYPE, DTYPES, "a TGI dtype");
        Optional<Long> maxInput = settings.find(TgiPlugin.MAX_INPUT_TOKENS);
        Optional<Long> maxTotal = settings.find(TgiPlugin.MAX_TOTAL_TOKENS);
        if (maxInput.isPresent() && maxTotal.isPresent() && maxInput.get() >= maxTotal.get()) {
            settings.problem(
                    TgiPlugin.MAX_INPUT_TOKENS,
                    "max_input_tokens = " + maxInput.get() + " must be less than max_total_tokens = " + maxTotal.get(),
                    "TGI refuses to start otherwise; lower max_input_tokens");
        }
        ServerArgs.checkManaged(settings, TgiPlugin.ARGS, MANAGED_FLAGS);
        return new TgiDefinition(
                server,
                model,
                settings.find(TgiPlugin.REVISION),
                quantize,
                shards,
                dtype,
                maxInput,
                maxTotal,
                settings.find(TgiPlugin.ARGS).orElse(List.of()));
    }

    /** The launcher's command line: only upstream flags, in a fixed order, then {@code args}. */
    List<String> command(Optional<GpuRequest> gpu) {
        List<String> command = new ArrayList<>(List.of("--model-id", model));
        revision.ifPresent(r -> command.addAll(List.of("--revision", r)));
        quantize.ifPresent(q -> command.addAll(List.of("--quantize", q)));
        // Shards are GPUs: on CPU there is nothing to shard over.
        int gpus = server.gpu().count();
        Optional<Integer> shards =
                gpu.isEmpty() ? Optional.empty() : numShard.or(() -> gpus > 1 ? Optional.of(gpus) : Optional.empty());
        shards.ifPresent(n -> command.addAll(List.of("--num-shard", Integer.toString(n))));
        dtype.ifPresent(d -> command.addAll(List.of("--dtype", d)));
        maxInputTokens.ifPresent(n -> command.addAll(List.of("--max-input-tokens", Long.toString(n))));
        maxTotalTokens.ifPresent(n -> command.addAll(List.of("--max-total-tokens", Long.toString(n))));
        command.addAll(List.of("--hostname", "0.0.0.0", "--port", Integer.toString(TgiPlugin.SERVER.port())));
        command.addAll(args);
        return command;
    }

    @Override
    public Service create(ServiceContext context) {
        return new TgiService(this, context);
    }
}
