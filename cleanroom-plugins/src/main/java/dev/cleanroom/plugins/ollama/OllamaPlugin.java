package dev.cleanroom.plugins.ollama;

import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.plugins.modelserver.ModelServerType;
import java.time.Duration;
import java.util.List;

/**
 * {@code ollama}: an Ollama server ({@code ollama/ollama}, {@code ollama serve}) on port 11434,
 * with its model pulled after start and the service ready only once {@code GET /api/tags} lists it.
 *
 * <p>Its keys, with their defaults and upstream flags, are listed in the package documentation
 * ({@link dev.cleanroom.plugins.ollama}) and in the generated TOML reference.
 *
 * <p>Exported: {@code url} ({@code http://127.0.0.1:PORT}) and {@code model}.
 */
public final class OllamaPlugin implements ServicePlugin {

    public static final String TYPE = "ollama";

    /** Pinned tag: see the package documentation. */
    static final ModelServerType SERVER = ModelServerType.builder(TYPE, "Ollama", 11434)
            .image("ollama/ollama", "0.12.10")
            .models("/root/.ollama", "Ollama's models directory")
            .gpus(GpuRequest.all())
            .pollInterval(Duration.ofMillis(200))
            .startTimeout(
                    Duration.ofMinutes(2),
                    "Time ollama serve has to answer GET /; the model pull has " + "pull_timeout")
            .env("Environment of ollama serve, e.g. env.OLLAMA_KEEP_ALIVE = \"24h\" (OLLAMA_* variables)")
            .build();

    static final Key<String> MODEL = Key.string("model")
            .doc("Model pulled after start (ollama pull MODEL, "
                    + "POST /api/pull); the service is ready once GET /api/tags lists it, e.g. \"llama2\"");
    static final Key<Duration> PULL_TIMEOUT = Key.duration("pull_timeout")
            .atLeast(Duration.ofSeconds(1))
            .byDefault(Duration.ofMinutes(30))
            .doc("Time the model pull (POST /api/pull, ollama pull) may take");

    private static final List<Key<?>> KEYS = SERVER.keys(List.of(MODEL, PULL_TIMEOUT));

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Ollama LLM server (ollama/ollama), with its model pulled and GPU control";
    }

    @Override
    public List<Key<?>> keys() {
        return KEYS;
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        return OllamaDefinition.read(settings);
    }
}
