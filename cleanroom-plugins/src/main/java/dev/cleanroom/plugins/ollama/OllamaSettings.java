package dev.cleanroom.plugins.ollama;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.plugins.gpu.CacheDirectory;
import dev.cleanroom.plugins.gpu.GpuSettings;
import dev.cleanroom.plugins.gpu.ServerImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@code ollama} service's settings, read once with every problem collected. */
record OllamaSettings(String image, Optional<String> model, Path cacheDir, GpuSettings gpu, Duration startTimeout,
                      Duration pullTimeout, Map<String, String> env) {

    static final String REPOSITORY = "ollama/ollama";
    /** See the package documentation for why this tag. */
    static final String PINNED_TAG = "0.12.10";
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(2);
    static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(30);

    static OllamaSettings read(ServiceConfig config, List<ConfigProblem> problems) {
        String image = ServerImage.read(config, REPOSITORY, PINNED_TAG, problems);
        Optional<String> model = config.string("model");
        model.filter(m -> !m.matches("[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9._-]+)?")).ifPresent(m ->
                problems.add(config.problem("model", "\"" + m + "\" is not an Ollama model name",
                        "write e.g. model = \"llama2\" or model = \"llama3.2:1b\"")));
        Path cache = CacheDirectory.read(config, OllamaPlugin.TYPE, problems);
        GpuSettings gpu = GpuSettings.read(config, GpuRequest.all(), problems);
        Duration start = positive(config, "start_timeout", DEFAULT_START_TIMEOUT, problems);
        Duration pull = positive(config, "pull_timeout", DEFAULT_PULL_TIMEOUT, problems);
        return new OllamaSettings(image, model, cache, gpu, start, pull, config.stringMap("env"));
    }

    private static Duration positive(ServiceConfig config, String key, Duration fallback, List<ConfigProblem> problems) {
        Duration value = config.duration(key, fallback);
        if (value.isZero()) {
            problems.add(config.problem(key, "must be more than 0", "write e.g. " + key + " = \""
                    + fallback.toMinutes() + "m\""));
            return fallback;
        }
        return value;
    }
}
