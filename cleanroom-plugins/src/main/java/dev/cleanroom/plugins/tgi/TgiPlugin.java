package dev.cleanroom.plugins.tgi;

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
 * {@code tgi}: Hugging Face Text Generation Inference ({@code ghcr.io/huggingface/text-generation-inference},
 * {@code text-generation-launcher}) on port 80, ready once {@code GET /health} answers (after warmup).
 *
 * <p>Its keys, with their defaults and upstream flags, are listed in the package documentation
 * ({@link dev.cleanroom.plugins.tgi}) and in the generated TOML reference.
 *
 * <p>Exported: {@code url} ({@code http://127.0.0.1:PORT}) and {@code model} (as {@code GET /info} reports it).
 */
public final class TgiPlugin implements ServicePlugin {

    public static final String TYPE = "tgi";

    /** Pinned tag: see the package documentation. */
    static final ModelServerType SERVER = ModelServerType.builder(TYPE, "TGI", 80)
            .image("ghcr.io/huggingface/text-generation-inference", "3.3.5")
            .models("/data", "the image's Hugging Face cache")
            .gpus(GpuRequest.count(1))
            .startTimeout(
                    Duration.ofMinutes(20),
                    "Time TGI has to download, load and warm up the model until " + "GET /health answers")
            .shmSize("1g", "Shared memory for NCCL between shards; docker run --shm-size")
            .hfToken()
            .env("Environment of text-generation-launcher")
            .build();

    static final Key<String> MODEL =
            Key.string("model").required().doc("Hugging Face model id or path to serve; --model-id");
    static final Key<String> REVISION =
            Key.string("revision").defaultDescribedAs("main").doc("Model revision (branch, tag or commit); --revision");
    static final Key<String> QUANTIZE = Key.string("quantize")
            .doc("Quantization, one of " + String.join(", ", TgiDefinition.QUANTIZES) + "; --quantize");
    static final Key<Long> NUM_SHARD = Key.integer("num_shard")
            .atLeast(1L)
            .defaultDescribedAs("GPU count when more than 1")
            .doc("Shards (one per GPU); --num-shard");
    static final Key<String> DTYPE =
            Key.string("dtype").defaultDescribedAs("TGI's").doc("float16 or bfloat16; --dtype");
    static final Key<Long> MAX_INPUT_TOKENS = Key.integer("max_input_tokens")
            .atLeast(1L)
            .defaultDescribedAs("TGI's")
            .doc("Longest prompt in tokens; --max-input-tokens");
    static final Key<Long> MAX_TOTAL_TOKENS = Key.integer("max_total_tokens")
            .atLeast(1L)
            .defaultDescribedAs("TGI's")
            .doc("Longest prompt plus answer in tokens; --max-total-tokens");
    static final Key<List<String>> ARGS = Key.strings("args")
            .doc("More text-generation-launcher flags, passed after "
                    + "the others as written; --hostname 0.0.0.0 and --port 80 are always passed");

    private static final List<Key<?>> KEYS =
            SERVER.keys(List.of(MODEL, REVISION, QUANTIZE, NUM_SHARD, DTYPE, MAX_INPUT_TOKENS, MAX_TOTAL_TOKENS, ARGS));

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    public TgiPlugin() {
        this(System::getProperty, System::getenv);
    }

    /** With the system properties and environment the HF token may come from (tests give their own). */
    TgiPlugin(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Hugging Face Text Generation Inference (ghcr.io/huggingface/text-generation-inference), with GPU control";
    }

    @Override
    public List<Key<?>> keys() {
        return KEYS;
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        return TgiDefinition.read(settings, properties, environment);
    }
}
