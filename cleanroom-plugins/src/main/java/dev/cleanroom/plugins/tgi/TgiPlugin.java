package dev.cleanroom.plugins.tgi;

import static dev.cleanroom.engine.config.ConfigKey.optional;
import static dev.cleanroom.engine.config.ConfigKey.required;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ConfigSchema;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.LegacyServicePlugin;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import dev.cleanroom.plugins.gpu.CacheDirectory;
import dev.cleanroom.plugins.gpu.GpuLauncher;
import dev.cleanroom.plugins.gpu.GpuSettings;
import dev.cleanroom.plugins.gpu.HfToken;
import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.plugins.gpu.ServerHttp;
import dev.cleanroom.plugins.gpu.ServerImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code tgi}: Hugging Face Text Generation Inference ({@code ghcr.io/huggingface/text-generation-inference},
 * {@code text-generation-launcher}) on port 80, ready once {@code GET /health} answers (after warmup).
 *
 * <table>
 * <caption>Keys of a {@code tgi} service</caption>
 * <tr><th>key</th><th>default</th><th>upstream</th></tr>
 * <tr><td>{@code image}, {@code tag}</td><td>{@code ghcr.io/huggingface/text-generation-inference}, {@code 3.3.5}</td><td>the image</td></tr>
 * <tr><td>{@code model}</td><td>required</td><td>{@code --model-id}</td></tr>
 * <tr><td>{@code revision}</td><td>{@code main}</td><td>{@code --revision}</td></tr>
 * <tr><td>{@code quantize}</td><td>none</td><td>{@code --quantize} (awq, compressed-tensors, eetq, exl2, gptq, marlin, bitsandbytes, bitsandbytes-nf4, bitsandbytes-fp4, fp8)</td></tr>
 * <tr><td>{@code num_shard}</td><td>the GPU count when more than 1</td><td>{@code --num-shard}</td></tr>
 * <tr><td>{@code dtype}</td><td>TGI's</td><td>{@code --dtype} (float16, bfloat16)</td></tr>
 * <tr><td>{@code max_input_tokens}, {@code max_total_tokens}</td><td>TGI's</td><td>{@code --max-input-tokens}, {@code --max-total-tokens}</td></tr>
 * <tr><td>(always)</td><td></td><td>{@code --hostname 0.0.0.0} (TGI misreads Docker's HOSTNAME otherwise) and {@code --port 80}</td></tr>
 * <tr><td>{@code args}</td><td></td><td>more launcher flags, passed as written</td></tr>
 * <tr><td>{@code hf_token} (secret)</td><td>{@code -Dcleanroom.hf_token}, else env {@code HF_TOKEN}</td><td>env {@code HF_TOKEN}</td></tr>
 * <tr><td>{@code shm_size}</td><td>{@code 1g}</td><td>{@code docker run --shm-size} (NCCL between shards)</td></tr>
 * <tr><td>{@code cache_dir}</td><td>{@code ~/.cache/cleanroom/tgi}</td><td>{@code -v DIR:/data} (the image's HF cache)</td></tr>
 * <tr><td>{@code gpu}, {@code gpu_enabled}, {@code gpus}, {@code gpu_devices}</td><td>{@code auto}, 1 GPU</td><td>{@code docker run --gpus}</td></tr>
 * <tr><td>{@code start_timeout}</td><td>{@code 20m}</td><td>until {@code GET /health} answers</td></tr>
 * <tr><td>{@code env.NAME}</td><td></td><td>environment of the launcher</td></tr>
 * </table>
 *
 * <p>Exported: {@code url} ({@code http://127.0.0.1:PORT}) and {@code model} (as {@code GET /info} reports it).
 */
public final class TgiPlugin implements LegacyServicePlugin {

    public static final String TYPE = "tgi";
    static final int PORT = 80;
    static final String DATA = "/data";
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    static final ConfigSchema SCHEMA = schema();

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    public TgiPlugin() {
        this(System::getProperty, System::getenv);
    }

    TgiPlugin(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    private static ConfigSchema schema() {
        List<ConfigKey> keys = new ArrayList<>(ServerImage.keys(TgiSettings.REPOSITORY, TgiSettings.PINNED_TAG));
        keys.add(required("model", ValueType.STRING, "Hugging Face model id or path to serve; --model-id"));
        keys.add(optional("revision", ValueType.STRING, "main", "Model revision (branch, tag or commit); --revision"));
        keys.add(optional("quantize", ValueType.STRING, "", "Quantization, one of " + String.join(", ",
                TgiSettings.QUANTIZES) + "; --quantize"));
        keys.add(optional("num_shard", ValueType.INTEGER, "GPU count when more than 1", "Shards (one per GPU); "
                + "--num-shard"));
        keys.add(optional("dtype", ValueType.STRING, "TGI's", "float16 or bfloat16; --dtype"));
        keys.add(optional("max_input_tokens", ValueType.INTEGER, "TGI's", "Longest prompt in tokens; "
                + "--max-input-tokens"));
        keys.add(optional("max_total_tokens", ValueType.INTEGER, "TGI's", "Longest prompt plus answer in tokens; "
                + "--max-total-tokens"));
        keys.add(optional("args", ValueType.STRING_LIST, "", "More text-generation-launcher flags, passed after the "
                + "others as written; --hostname 0.0.0.0 and --port 80 are always passed"));
        keys.add(HfToken.key());
        keys.add(optional("shm_size", ValueType.STRING, TgiSettings.DEFAULT_SHM, "Shared memory for NCCL between "
                + "shards; docker run --shm-size"));
        keys.add(CacheDirectory.key(TYPE, DATA, "the image's Hugging Face cache"));
        keys.addAll(GpuSettings.keys("1"));
        keys.add(optional("start_timeout", ValueType.DURATION, "20m", "Time TGI has to download, load and warm up "
                + "the model until GET /health answers"));
        keys.add(optional("env", ValueType.STRING_MAP, "", "Environment of text-generation-launcher"));
        return ConfigSchema.of(keys);
    }

    @Override
    public String serviceType() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Hugging Face Text Generation Inference (ghcr.io/huggingface/text-generation-inference), with GPU control";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        TgiSettings.read(config, problems);
        return problems;
    }

    @Override
    public WaitPolicy waitPolicy(ServiceConfig config) {
        return WaitPolicy.of(Duration.ofMillis(500), settings(config).startTimeout(), 0);
    }

    /** The launcher's command line: only upstream flags, in a fixed order, then {@code args}. */
    static List<String> command(TgiSettings settings, Optional<GpuRequest> gpu) {
        List<String> command = new ArrayList<>(List.of("--model-id", settings.model()));
        settings.revision().ifPresent(r -> command.addAll(List.of("--revision", r)));
        settings.quantize().ifPresent(q -> command.addAll(List.of("--quantize", q)));
        // Shards are GPUs: on CPU there is nothing to shard over.
        Optional<Integer> shards = gpu.isEmpty() ? Optional.empty() : settings.numShard()
                .or(() -> settings.gpu().count() > 1 ? Optional.of(settings.gpu().count()) : Optional.empty());
        shards.ifPresent(n -> command.addAll(List.of("--num-shard", Integer.toString(n))));
        settings.dtype().ifPresent(d -> command.addAll(List.of("--dtype", d)));
        settings.maxInputTokens().ifPresent(n -> command.addAll(List.of("--max-input-tokens", Long.toString(n))));
        settings.maxTotalTokens().ifPresent(n -> command.addAll(List.of("--max-total-tokens", Long.toString(n))));
        command.addAll(List.of("--hostname", "0.0.0.0", "--port", Integer.toString(PORT)));
        command.addAll(settings.args());
        return command;
    }

    static ContainerSpec containerSpec(TgiSettings settings, Optional<HfToken> token, Optional<GpuRequest> gpu) {
        ContainerSpec.Builder spec = ContainerSpec.builder(settings.image())
                .command(command(settings, gpu))
                .port(PortSpec.container(PORT))
                .volume(cache(settings))
                .shmSizeBytes(settings.shmSizeBytes())
                .env(settings.env())
                .gpus(gpu.orElse(null));
        token.ifPresent(t -> spec.secretEnv(HfToken.ENV, t.value()));
        return spec.build();
    }

    @Override
    public List<String> images(ServiceConfig config) {
        return List.of(settings(config).image());
    }

    @Override
    public List<VolumeMount> volumes(ServiceConfig config) {
        return List.of(cache(settings(config)));
    }

    private static VolumeMount cache(TgiSettings settings) {
        return new VolumeMount(settings.cacheDir(), DATA, false);
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        TgiSettings settings = settings(config);
        Optional<HfToken> token = HfToken.read(config, properties, environment);
        backend.log().info(token.map(t -> "HF_TOKEN: from " + t.source())
                .orElse("HF_TOKEN: none (set hf_token, -D" + HfToken.PROPERTY + " or HF_TOKEN for gated models)"));
        CacheDirectory.create(settings.cacheDir());
        ContainerInfo container = GpuLauncher.start(backend, settings.gpu(), "TGI", Optional.empty(),
                gpu -> containerSpec(settings, token, gpu)).container();
        return ServiceHandle.of(config.name(), container)
                .withEndpoint("url", "http://" + container.address(PORT));
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend) {
        return HealthProbes.http(handle.endpoints().get("url") + "/health", PROBE_TIMEOUT);
    }

    /** Exports the model TGI reports in GET /info, which is what it actually loaded. */
    @Override
    public ServiceHandle afterReady(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        String url = handle.endpoints().get("url");
        try {
            ServerHttp.Answer info = ServerHttp.get(url + "/info", PROBE_TIMEOUT);
            String model = Json.object(info.body()).flatMap(o -> Json.string(o, "model_id"))
                    .filter(m -> info.ok()).orElseThrow(() -> new CleanroomException("TGI is healthy but GET " + url
                            + "/info answered HTTP " + info.status() + " without a model_id: " + info.body()));
            backend.log().info("TGI serves " + model);
            return handle.withEndpoint("model", model);
        } catch (IOException e) {
            throw new CleanroomException("TGI is healthy but GET " + url + "/info failed: " + e, e);
        }
    }

    private static TgiSettings settings(ServiceConfig config) {
        // Validated before start, so problems cannot occur here.
        return TgiSettings.read(config, new ArrayList<>());
    }
}
