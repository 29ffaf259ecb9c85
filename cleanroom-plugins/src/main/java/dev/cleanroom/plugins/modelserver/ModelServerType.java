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
 */
public final class ModelServerType {

    private final String type;
    private final String serverName;
    private final int port;
    private final String modelsPath;
    private final GpuRequest defaultGpus;
    private final Optional<String> gpuOnly;
    private final Duration pollInterval;
    private final Key<String> image;
    private final Key<String> tag;
    private final Key<String> cacheDir;
    private final Key<Long> gpus;
    private final Key<Duration> startTimeout;
    private final Key<Map<String, String>> env;
    private final Optional<Key<String>> shmSize;
    private final boolean hfToken;

    private ModelServerType(Builder b) {
        this.type = b.type;
        this.serverName = b.serverName;
        this.port = b.port;
        this.modelsPath = Objects.requireNonNull(b.modelsPath, "models");
        this.defaultGpus = Objects.requireNonNull(b.defaultGpus, "gpus");
        this.gpuOnly = Optional.ofNullable(b.gpuOnly);
        this.pollInterval = b.pollInterval;
        this.image = ServerImage.imageKey(Objects.requireNonNull(b.repository, "image"));
        this.tag = ServerImage.tagKey(b.pinnedTag);
        this.cacheDir = CacheDirectory.key(type, modelsPath, b.modelsUpstream);
        this.gpus = GpuSettings.gpusKey(defaultGpus);
        this.startTimeout = Key.duration("start_timeout").atLeast(Duration.ofSeconds(1))
                .byDefault(Objects.requireNonNull(b.startTimeout, "startTimeout")).doc(b.startTimeoutDoc);
        this.env = Key.table("env").doc(Objects.requireNonNull(b.envDoc, "env"));
        this.shmSize = Optional.ofNullable(b.shmDefault).map(size -> Key.string("shm_size").byDefault(size).doc(b.shmDoc));
        this.hfToken = b.hfToken;
    }

    /** @param serverName the server's name in messages, e.g. "vLLM" */
    public static Builder builder(String type, String serverName, int port) {
        return new Builder(type, serverName, port);
    }

    /** Every key of the type in reference order: image and tag, the type's own keys, then the shared rest. */
    public List<Key<?>> keys(List<Key<?>> own) {
        List<Key<?>> keys = new ArrayList<>(List.of(image, tag));
        keys.addAll(own);
        if (hfToken) {
            keys.add(HfToken.KEY);
        }
        shmSize.ifPresent(keys::add);
        keys.addAll(List.of(cacheDir, GpuSettings.GPU, GpuSettings.GPU_ENABLED, gpus, GpuSettings.GPU_DEVICES,
                startTimeout, env));
        return List.copyOf(keys);
    }

    public String type() {
        return type;
    }

    public String serverName() {
        return serverName;
    }

    public int port() {
        return port;
    }

    /** Where the server keeps models inside its container; {@code cache_dir} is mounted there. */
    public String modelsPath() {
        return modelsPath;
    }

    public GpuRequest defaultGpus() {
        return defaultGpus;
    }

    /** Why the server cannot run on CPU; empty when it can. */
    public Optional<String> gpuOnly() {
        return gpuOnly;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Key<String> image() {
        return image;
    }

    public Key<String> tag() {
        return tag;
    }

    public Key<String> cacheDir() {
        return cacheDir;
    }

    public Key<Long> gpus() {
        return gpus;
    }

    public Key<Duration> startTimeout() {
        return startTimeout;
    }

    public Key<Map<String, String>> env() {
        return env;
    }

    public Optional<Key<String>> shmSize() {
        return shmSize;
    }

    public boolean usesHfToken() {
        return hfToken;
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
            return new ModelServerType(this);
        }
    }
}
