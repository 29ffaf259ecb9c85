package dev.cleanroom.plugins.ollama;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.plugins.modelserver.ModelServerService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One run of {@code ollama serve}: ready once it answers; then its model is pulled unless the cache has it. */
final class OllamaService extends ModelServerService {

    private final OllamaDefinition definition;

    OllamaService(OllamaDefinition definition, ServiceContext context) {
        super(definition.server(), context);
        this.definition = definition;
    }

    @Override
    protected List<String> command(Optional<GpuRequest> gpu) {
        return List.of("serve");
    }

    @Override
    protected ServiceHandle exportedAtStart(ServiceHandle withUrl) {
        return definition
                .model()
                .map(model -> withUrl.withEndpoint("model", model))
                .orElse(withUrl);
    }

    @Override
    public HealthStatus checkHealth() {
        return HealthProbes.http(url() + "/", PROBE_TIMEOUT);
    }

    @Override
    public void afterReady() throws CleanroomException {
        ensureModel();
    }

    /**
     * Reused across builds, the server is handed out with its model as a fresh start would: a test
     * may have deleted it since (DELETE /api/delete), so it is pulled again when Ollama no longer
     * lists it. Models pulled besides carry over, as they do in the model cache.
     */
    @Override
    public void reset() throws CleanroomException {
        ensureModel();
    }

    /** Pulls the model unless the cache already has it, then checks that Ollama lists it. */
    private void ensureModel() throws CleanroomException {
        if (definition.model().isEmpty()) {
            return;
        }
        String model = definition.model().get();
        OllamaApi api = new OllamaApi(url());
        if (api.lists(model)) {
            context.log()
                    .info("Model " + model + " is already in "
                            + definition.server().cacheDir() + "; not pulling it");
            return;
        }
        Duration timeout = definition.pullTimeout();
        context.log().info("Pulling model " + model + " (pull_timeout " + timeout.toMinutes() + " min)");
        api.pull(model, timeout, new PullProgress(model, context.log(), System::nanoTime));
        List<String> listed = api.models();
        if (!listed.contains(OllamaApi.fullName(model))) {
            throw new CleanroomException("Ollama reported the pull of model \"" + model + "\" as successful, but "
                    + "GET /api/tags lists " + listed + " without " + OllamaApi.fullName(model));
        }
    }
}
