package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * The settings every model server has, read once from its {@link ModelServerType}'s keys: the
 * part of a model-server definition the types share.
 *
 * @param shmSizeBytes shared memory, for types with {@code shm_size}
 * @param token the Hugging Face token, for types with {@code hf_token}; masked in {@code toString}
 */
public record ModelServer(
        ModelServerType type,
        String image,
        Path cacheDir,
        GpuSettings gpu,
        Duration startTimeout,
        Map<String, String> env,
        OptionalLong shmSizeBytes,
        Optional<HfToken> token) {

    public ModelServer {
        env = Map.copyOf(env);
    }

    /**
     * Reads the shared keys, reporting every problem to {@code settings}.
     *
     * @param properties system properties ({@code System::getProperty} outside tests), for the token
     * @param environment environment variables ({@code System::getenv} outside tests), for the token
     */
    public static ModelServer read(
            Settings settings,
            ModelServerType type,
            UnaryOperator<String> properties,
            UnaryOperator<String> environment) {
        String image = ServerImage.read(settings, type.image(), type.tag());
        Path cache = CacheDirectory.read(settings, type.cacheDir(), type.type());
        GpuSettings gpu = GpuSettings.read(settings, type.gpus(), type.defaultGpus());
        OptionalLong shm = type.shmSize().map(key -> shmSize(settings, key)).orElse(OptionalLong.empty());
        Optional<HfToken> token = type.usesHfToken()
                ? HfToken.read(settings.find(HfToken.KEY), properties, environment)
                : Optional.empty();
        return new ModelServer(
                type,
                image,
                cache,
                gpu,
                settings.get(type.startTimeout()),
                settings.find(type.env()).orElse(Map.of()),
                shm,
                token);
    }

    private static OptionalLong shmSize(Settings settings, Key<String> key) {
        String text = settings.get(key);
        Optional<Long> bytes = ByteSizes.parse(text).filter(size -> size > 0);
        if (bytes.isEmpty()) {
            String byDefault = key.defaultValue().orElseThrow();
            settings.problem(
                    key,
                    "\"" + text + "\" is not a size",
                    "write e.g. shm_size = \"" + byDefault + "\" (units b, k, m, g)");
            return OptionalLong.of(ByteSizes.parse(byDefault).orElseThrow());
        }
        return OptionalLong.of(bytes.get());
    }

    public List<String> images() {
        return List.of(image);
    }

    /** {@code cache_dir} at the server's models directory. */
    public VolumeMount cache() {
        return new VolumeMount(cacheDir, type.modelsPath(), false);
    }

    public WaitPolicy waitPolicy() {
        return WaitPolicy.of(type.pollInterval(), startTimeout, 0);
    }

    /** The server's container with {@code command}, with GPUs when {@code gpu} is given. */
    public ContainerSpec containerSpec(List<String> command, Optional<GpuRequest> gpu) {
        ContainerSpec.Builder spec = ContainerSpec.builder(image)
                .command(command)
                .port(PortSpec.container(type.port()))
                .volume(cache())
                .env(env)
                .gpus(gpu.orElse(null));
        shmSizeBytes.ifPresent(spec::shmSizeBytes);
        token.ifPresent(t -> spec.secretEnv(HfToken.ENV, t.value()));
        return spec.build();
    }
}
