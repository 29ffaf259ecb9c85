package dev.cleanroom.plugins.ollama;

import static dev.cleanroom.engine.config.ConfigKey.optional;

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
import dev.cleanroom.plugins.gpu.ServerImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ollama}: an Ollama server ({@code ollama/ollama}, {@code ollama serve}) on port 11434,
 * with its model pulled after start and the service ready only once {@code GET /api/tags} lists it.
 *
 * <table>
 * <caption>Keys of an {@code ollama} service</caption>
 * <tr><th>key</th><th>default</th><th>upstream</th></tr>
 * <tr><td>{@code image}, {@code tag}</td><td>{@code ollama/ollama}, {@code 0.12.10}</td><td>the image</td></tr>
 * <tr><td>{@code model}</td><td>none (server only)</td><td>{@code POST /api/pull} ({@code ollama pull}); ready when {@code GET /api/tags} lists it</td></tr>
 * <tr><td>{@code cache_dir}</td><td>{@code ~/.cache/cleanroom/ollama}</td><td>{@code -v DIR:/root/.ollama}</td></tr>
 * <tr><td>{@code gpu}, {@code gpu_enabled}, {@code gpus}, {@code gpu_devices}</td><td>{@code auto}, all GPUs</td><td>{@code docker run --gpus}</td></tr>
 * <tr><td>{@code start_timeout}</td><td>{@code 2m}</td><td>until {@code GET /} answers</td></tr>
 * <tr><td>{@code pull_timeout}</td><td>{@code 30m}</td><td>{@code POST /api/pull}</td></tr>
 * <tr><td>{@code env.NAME}</td><td></td><td>{@code OLLAMA_*} variables of {@code ollama serve}</td></tr>
 * </table>
 *
 * <p>Exported: {@code url} ({@code http://127.0.0.1:PORT}) and {@code model}.
 */
public final class OllamaPlugin implements LegacyServicePlugin {

    public static final String TYPE = "ollama";
    static final int PORT = 11434;
    static final String MODELS_PATH = "/root/.ollama";
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    static final ConfigSchema SCHEMA = schema();

    private static ConfigSchema schema() {
        List<ConfigKey> keys = new ArrayList<>(ServerImage.keys(OllamaSettings.REPOSITORY, OllamaSettings.PINNED_TAG));
        keys.add(optional("model", ValueType.STRING, "", "Model pulled after start (ollama pull MODEL, "
                + "POST /api/pull); the service is ready once GET /api/tags lists it, e.g. \"llama2\""));
        keys.add(CacheDirectory.key(TYPE, MODELS_PATH, "Ollama's models directory"));
        keys.addAll(GpuSettings.keys("all"));
        keys.add(optional("start_timeout", ValueType.DURATION, "2m", "Time ollama serve has to answer GET /; "
                + "the model pull has pull_timeout"));
        keys.add(optional("pull_timeout", ValueType.DURATION, "30m", "Time the model pull (POST /api/pull, "
                + "ollama pull) may take"));
        keys.add(optional("env", ValueType.STRING_MAP, "", "Environment of ollama serve, e.g. "
                + "env.OLLAMA_KEEP_ALIVE = \"24h\" (OLLAMA_* variables)"));
        return ConfigSchema.of(keys);
    }

    @Override
    public String serviceType() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Ollama LLM server (ollama/ollama), with its model pulled and GPU control";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        OllamaSettings.read(config, problems);
        return problems;
    }

    @Override
    public WaitPolicy waitPolicy(ServiceConfig config) {
        return WaitPolicy.of(Duration.ofMillis(200), settings(config).startTimeout(), 0);
    }

    static ContainerSpec containerSpec(OllamaSettings settings, Optional<GpuRequest> gpu) {
        return ContainerSpec.builder(settings.image())
                .command(List.of("serve"))
                .port(PortSpec.container(PORT))
                .volume(cache(settings))
                .env(settings.env())
                .gpus(gpu.orElse(null))
                .build();
    }

    @Override
    public List<String> images(ServiceConfig config) {
        return List.of(settings(config).image());
    }

    @Override
    public List<VolumeMount> volumes(ServiceConfig config) {
        return List.of(cache(settings(config)));
    }

    private static VolumeMount cache(OllamaSettings settings) {
        return new VolumeMount(settings.cacheDir(), MODELS_PATH, false);
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        OllamaSettings settings = settings(config);
        CacheDirectory.create(settings.cacheDir());
        ContainerInfo container = GpuLauncher.start(backend, settings.gpu(), "Ollama", Optional.empty(),
                gpu -> containerSpec(settings, gpu)).container();
        ServiceHandle handle = ServiceHandle.of(config.name(), container)
                .withEndpoint("url", "http://" + container.address(PORT));
        return settings.model().isPresent() ? handle.withEndpoint("model", settings.model().get()) : handle;
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend) {
        return HealthProbes.http(handle.endpoints().get("url") + "/", PROBE_TIMEOUT);
    }

    /** Pulls the model unless the cache already has it, then checks that Ollama lists it. */
    @Override
    public ServiceHandle afterReady(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        OllamaSettings settings = settings(config);
        if (settings.model().isEmpty()) {
            return handle;
        }
        String model = settings.model().get();
        OllamaApi api = new OllamaApi(handle.endpoints().get("url"));
        if (api.lists(model)) {
            backend.log().info("Model " + model + " is already in " + settings.cacheDir() + "; not pulling it");
            return handle;
        }
        backend.log().info("Pulling model " + model + " (pull_timeout " + settings.pullTimeout().toMinutes() + " min)");
        api.pull(model, settings.pullTimeout(), new PullProgress(model, backend.log(), System::nanoTime));
        List<String> listed = api.models();
        if (!listed.contains(OllamaApi.fullName(model))) {
            throw new CleanroomException("Ollama reported the pull of model \"" + model + "\" as successful, but "
                    + "GET /api/tags lists " + listed + " without " + OllamaApi.fullName(model));
        }
        return handle;
    }

    private static OllamaSettings settings(ServiceConfig config) {
        // Validated before start, so problems cannot occur here.
        return OllamaSettings.read(config, new ArrayList<>());
    }
}
