package dev.cleanroom.plugins.vllm;

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
import dev.cleanroom.plugins.gpu.ServerArgs;
import dev.cleanroom.plugins.gpu.ServerHttp;
import dev.cleanroom.plugins.gpu.ServerImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code vllm}: a vLLM OpenAI-compatible server ({@code vllm/vllm-openai}) on port 8000, ready once
 * {@code GET /health} answers and {@code GET /v1/models} lists the served model.
 *
 * <table>
 * <caption>Keys of a {@code vllm} service</caption>
 * <tr><th>key</th><th>default</th><th>upstream</th></tr>
 * <tr><td>{@code image}, {@code tag}</td><td>{@code vllm/vllm-openai}, {@code v0.10.2}</td><td>the image</td></tr>
 * <tr><td>{@code model}</td><td>required</td><td>{@code --model}</td></tr>
 * <tr><td>{@code served_model_name}</td><td>the model id</td><td>{@code --served-model-name}</td></tr>
 * <tr><td>{@code tensor_parallel_size}</td><td>the GPU count when more than 1</td><td>{@code --tensor-parallel-size}</td></tr>
 * <tr><td>{@code gpu_memory_utilization}</td><td>vLLM's (0.9)</td><td>{@code --gpu-memory-utilization}</td></tr>
 * <tr><td>{@code max_model_len}</td><td>the model's</td><td>{@code --max-model-len}</td></tr>
 * <tr><td>{@code quantization}</td><td>none</td><td>{@code --quantization}</td></tr>
 * <tr><td>{@code dtype}</td><td>vLLM's ({@code auto})</td><td>{@code --dtype}</td></tr>
 * <tr><td>{@code args}</td><td></td><td>more flags, passed as written</td></tr>
 * <tr><td>{@code hf_token} (secret)</td><td>{@code -Dcleanroom.hf_token}, else env {@code HF_TOKEN}</td><td>env {@code HF_TOKEN}</td></tr>
 * <tr><td>{@code shm_size}</td><td>{@code 8g}</td><td>{@code docker run --shm-size}</td></tr>
 * <tr><td>{@code cache_dir}</td><td>{@code ~/.cache/cleanroom/vllm}</td><td>{@code -v DIR:/root/.cache/huggingface}</td></tr>
 * <tr><td>{@code gpu}, {@code gpu_enabled}, {@code gpus}, {@code gpu_devices}</td><td>{@code auto}, 1 GPU</td><td>{@code docker run --gpus}</td></tr>
 * <tr><td>{@code start_timeout}</td><td>{@code 20m}</td><td>until {@code /health} and {@code /v1/models} answer</td></tr>
 * <tr><td>{@code env.NAME}</td><td></td><td>environment, e.g. {@code VLLM_*}</td></tr>
 * </table>
 *
 * <p>vLLM's image needs a CUDA GPU: in {@code auto} mode a daemon without GPUs fails the start with
 * a clear message rather than starting a server that cannot run.
 *
 * <p>Exported: {@code url} ({@code http://127.0.0.1:PORT}), {@code openai_base_url} ({@code url} +
 * {@code /v1}) and {@code model} (the served name clients send).
 */
public final class VllmPlugin implements LegacyServicePlugin {

    public static final String TYPE = "vllm";
    static final int PORT = 8000;
    static final String HF_CACHE = "/root/.cache/huggingface";
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    static final ConfigSchema SCHEMA = schema();

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    public VllmPlugin() {
        this(System::getProperty, System::getenv);
    }

    VllmPlugin(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    private static ConfigSchema schema() {
        List<ConfigKey> keys = new ArrayList<>(ServerImage.keys(VllmSettings.REPOSITORY, VllmSettings.PINNED_TAG));
        keys.add(required("model", ValueType.STRING, "Hugging Face model id or path to serve; --model"));
        keys.add(optional("served_model_name", ValueType.STRING, "the model id", "Name clients send as \"model\"; "
                + "--served-model-name"));
        keys.add(optional("tensor_parallel_size", ValueType.INTEGER, "GPU count when more than 1", "GPUs to split the "
                + "model over; --tensor-parallel-size"));
        keys.add(optional("gpu_memory_utilization", ValueType.NUMBER, "vLLM's (0.9)", "Fraction of GPU memory vLLM "
                + "may use, 0..1; --gpu-memory-utilization"));
        keys.add(optional("max_model_len", ValueType.INTEGER, "the model's", "Context length in tokens; "
                + "--max-model-len"));
        keys.add(optional("quantization", ValueType.STRING, "", "Quantization method, one of vLLM "
                + VllmSettings.PINNED_TAG + "'s: " + String.join(", ", VllmSettings.QUANTIZATIONS) + "; --quantization"));
        keys.add(optional("dtype", ValueType.STRING, "vLLM's (auto)", "Weights and activations type: "
                + String.join(", ", VllmSettings.DTYPES) + "; --dtype"));
        keys.add(optional("args", ValueType.STRING_LIST, "", "More vLLM flags, passed after the others as written, "
                + "e.g. [\"--enforce-eager\"]; vllm serve --help lists them"));
        keys.add(HfToken.key());
        keys.add(optional("shm_size", ValueType.STRING, VllmSettings.DEFAULT_SHM, "Shared memory for tensor-parallel "
                + "workers (vLLM's docs: --ipc=host or a large --shm-size); docker run --shm-size"));
        keys.add(CacheDirectory.key(TYPE, HF_CACHE, "the Hugging Face cache"));
        keys.addAll(GpuSettings.keys("1"));
        keys.add(optional("start_timeout", ValueType.DURATION, "20m", "Time vLLM has to download and load the model "
                + "until GET /health and GET /v1/models answer"));
        keys.add(optional("env", ValueType.STRING_MAP, "", "Environment of the server, e.g. env.VLLM_LOGGING_LEVEL "
                + "= \"DEBUG\""));
        return ConfigSchema.of(keys);
    }

    @Override
    public String serviceType() {
        return TYPE;
    }

    @Override
    public String description() {
        return "vLLM OpenAI-compatible inference server (vllm/vllm-openai), with GPU control";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        VllmSettings.read(config, problems);
        return problems;
    }

    @Override
    public WaitPolicy waitPolicy(ServiceConfig config) {
        return WaitPolicy.of(Duration.ofMillis(500), settings(config).startTimeout(), 0);
    }

    /** The vLLM command line: only upstream flags, in a fixed order, then {@code args}. */
    static List<String> command(VllmSettings settings, Optional<GpuRequest> gpu) {
        List<String> command = new ArrayList<>(List.of("--model", settings.model()));
        settings.servedModelName().ifPresent(name -> command.addAll(List.of("--served-model-name", name)));
        Optional<Integer> tp = settings.tensorParallelSize().or(() -> gpu.isPresent() && settings.gpu().count() > 1
                ? Optional.of(settings.gpu().count()) : Optional.empty());
        tp.ifPresent(size -> command.addAll(List.of("--tensor-parallel-size", Integer.toString(size))));
        settings.gpuMemoryUtilization().ifPresent(u -> command.addAll(List.of("--gpu-memory-utilization",
                ServerArgs.number(u))));
        settings.maxModelLen().ifPresent(len -> command.addAll(List.of("--max-model-len", Long.toString(len))));
        settings.quantization().ifPresent(q -> command.addAll(List.of("--quantization", q)));
        settings.dtype().ifPresent(d -> command.addAll(List.of("--dtype", d)));
        command.addAll(settings.args());
        return command;
    }

    static ContainerSpec containerSpec(VllmSettings settings, Optional<HfToken> token, Optional<GpuRequest> gpu) {
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

    private static VolumeMount cache(VllmSettings settings) {
        return new VolumeMount(settings.cacheDir(), HF_CACHE, false);
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        VllmSettings settings = settings(config);
        Optional<HfToken> token = HfToken.read(config, properties, environment);
        backend.log().info(token.map(t -> "HF_TOKEN: from " + t.source())
                .orElse("HF_TOKEN: none (set hf_token, -D" + HfToken.PROPERTY + " or HF_TOKEN for gated models)"));
        CacheDirectory.create(settings.cacheDir());
        ContainerInfo container = GpuLauncher.start(backend, settings.gpu(), "vLLM",
                Optional.of("the vllm/vllm-openai image runs on CUDA only"),
                gpu -> containerSpec(settings, token, gpu)).container();
        String url = "http://" + container.address(PORT);
        return ServiceHandle.of(config.name(), container).withEndpoint("url", url)
                .withEndpoint("openai_base_url", url + "/v1").withEndpoint("model", settings.servedName());
    }

    /** Ready when /health answers and /v1/models lists the served model; another list can never become right. */
    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        String url = handle.endpoints().get("url");
        String served = handle.endpoints().get("model");
        try {
            ServerHttp.Answer health = ServerHttp.get(url + "/health", PROBE_TIMEOUT);
            if (!health.ok()) {
                return HealthStatus.notYet("HTTP " + health.status() + " from " + url + "/health");
            }
            ServerHttp.Answer models = ServerHttp.get(url + "/v1/models", PROBE_TIMEOUT);
            if (!models.ok()) {
                return HealthStatus.notYet("HTTP " + models.status() + " from " + url + "/v1/models");
            }
            List<String> ids = Json.object(models.body()).map(o -> Json.objects(o, "data").stream()
                    .map(m -> Json.string(m, "id").orElse("")).toList()).orElse(List.of());
            if (!ids.contains(served)) {
                throw new CleanroomException("vLLM is up but GET /v1/models lists " + ids + ", not \"" + served
                        + "\". Perhaps you should check served_model_name.");
            }
            return HealthStatus.ok("/health answered and /v1/models lists " + served);
        } catch (IOException e) {
            return HealthStatus.notYet("GET " + url + "/health failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static VllmSettings settings(ServiceConfig config) {
        // Validated before start, so problems cannot occur here.
        return VllmSettings.read(config, new ArrayList<>());
    }
}
