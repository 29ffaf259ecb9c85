package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one model-server type is (its image, port, model directory, GPU needs) and the keys every
 * model-server type has, declared once here with this type's defaults: {@code image}, {@code tag},
 * {@code hf_token}, {@code shm_size}, {@code cache_dir}, the GPU keys, {@code start_timeout} and
 * {@code env}. Built once per plugin class, as a constant.
 *
 * @param gpuOnly why the server cannot run on CPU; empty when it can
 * @param modelsPath where the server keeps models inside its container; {@code cache_dir} is mounted there
 */
public record ModelServerType(
        String type,
        String serverName,
        int port,
        String modelsPath,
        GpuRequest defaultGpus,
        Optional<String> gpuOnly,
        Duration pollInterval,
        Key<String> image,
        Key<String> tag,
        Key<String> cacheDir,
        Key<Long> gpus,
        Key<Duration> startTimeout,
        Key<Map<String, String>> env,
        Optional<Key<String>> shmSize,
        boolean usesHfToken) {

    /** @param serverName the server's name in messages, e.g. "vLLM" */
    public static Builder builder(String type, String serverName, int port) {
        return new Builder(type, serverName, port);
    }

    /** Every key of the type in reference order: image and tag, the type's own keys, then the shared rest. */
    public List<Key<?>> keys(List<Key<?>> own) {
        List<Key<?>> keys = new ArrayList<>(List.of(image, tag));
        keys.addAll(own);
        if (usesHfToken) {
            keys.add(HfToken.KEY);
        }
        shmSize.ifPresent(keys::add);
        keys.addAll(List.of(
                cacheDir, GpuSettings.GPU, GpuSettings.GPU_ENABLED, gpus, GpuSettings.GPU_DEVICES, startTimeout, env));
        return List.copyOf(keys);
    }

    /** Collects a type's facts; used once per plugin class. */
    public static final class Builder {
        private final String type;
        private final String serverName;
        private final int port;
        private String repository;
        private String pinnedTag;
        private String modelsPath;
        private String modelsUpstream;
        private GpuRequest defaultGpus;
        private String gpuOnly;
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration startTimeout;
        private String startTimeoutDoc;
        private String envDoc;
        private String shmDefault;
        private String shmDoc;
        private boolean hfToken;

        private Builder(String type, String serverName, int port) {
            this.type = type;
            this.serverName = serverName;
            this.port = port;
        }

        /** The upstream repository and the tag pinned for it (see the type's package documentation for why). */
        public Builder image(String repository, String pinnedTag) {
            this.repository = repository;
            this.pinnedTag = pinnedTag;
            return this;
        }

        /** @param upstream what the directory is to the server, e.g. "the Hugging Face cache" */
        public Builder models(String containerPath, String upstream) {
            this.modelsPath = containerPath;
            this.modelsUpstream = upstream;
            return this;
        }

        public Builder gpus(GpuRequest byDefault) {
            this.defaultGpus = byDefault;
            return this;
        }

        /** The server cannot run on CPU, for this reason: {@code gpu = "auto"} without GPUs fails. */
        public Builder gpuOnly(String reason) {
            this.gpuOnly = reason;
            return this;
        }

        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        public Builder startTimeout(Duration byDefault, String doc) {
            this.startTimeout = byDefault;
            this.startTimeoutDoc = doc;
            return this;
        }

        /** The server needs shared memory ({@code docker run --shm-size}). */
        public Builder shmSize(String byDefault, String doc) {
            this.shmDefault = byDefault;
            this.shmDoc = doc;
            return this;
        }

        /** The server downloads from the Hugging Face Hub: {@code hf_token} is a key. */
        public Builder hfToken() {
            this.hfToken = true;
            return this;
        }

        public Builder env(String doc) {
            this.envDoc = doc;
            return this;
        }

        public ModelServerType build() {
            Objects.requireNonNull(repository, "image");
            Objects.requireNonNull(modelsPath, "models");
            Objects.requireNonNull(defaultGpus, "gpus");
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(envDoc, "env");
            return new ModelServerType(
                    type,
                    serverName,
                    port,
                    modelsPath,
                    defaultGpus,
                    Optional.ofNullable(gpuOnly),
                    pollInterval,
                    ServerImage.imageKey(repository),
                    ServerImage.tagKey(pinnedTag),
                    CacheDirectory.key(type, modelsPath, modelsUpstream),
                    GpuSettings.gpusKey(defaultGpus),
                    Key.duration("start_timeout")
                            .atLeast(Duration.ofSeconds(1))
                            .byDefault(startTimeout)
                            .doc(startTimeoutDoc),
                    Key.table("env").doc(envDoc),
                    Optional.ofNullable(shmDefault)
                            .map(size -> Key.string("shm_size").byDefault(size).doc(shmDoc)),
                    hfToken);
        }
    }
}
