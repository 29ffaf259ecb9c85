package dev.cleanroom.plugins.vllm;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.plugins.modelserver.ModelServerService;
import dev.cleanroom.plugins.modelserver.ServerHttp;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One run of a vLLM server: ready once /health answers and /v1/models lists the served name.
 * Reused across builds, it is adopted with no reset: everything it exports follows from its
 * definition, and it keeps no state of a run (each request stands alone).
 */
final class VllmService extends ModelServerService {

    private final VllmDefinition definition;

    VllmService(VllmDefinition definition, ServiceContext context) {
        super(definition.server(), context);
        this.definition = definition;
    }

    @Override
    protected List<String> command(Optional<GpuRequest> gpu) {
        return definition.command(gpu);
    }

    @Override
    protected ServiceHandle exportedAtStart(ServiceHandle withUrl) {
        return withUrl.withEndpoint("openai_base_url", url() + "/v1").withEndpoint("model", definition.servedName());
    }

    /** Ready when /health answers and /v1/models lists the served model; another list can never become right. */
    @Override
    public HealthStatus checkHealth() throws CleanroomException {
        String url = url();
        String served = definition.servedName();
        try {
            ServerHttp.Answer health = ServerHttp.get(url + "/health", PROBE_TIMEOUT);
            if (!health.ok()) {
                return HealthStatus.notYet("HTTP " + health.status() + " from " + url + "/health");
            }
            ServerHttp.Answer models = ServerHttp.get(url + "/v1/models", PROBE_TIMEOUT);
            if (!models.ok()) {
                return HealthStatus.notYet("HTTP " + models.status() + " from " + url + "/v1/models");
            }
            List<String> ids = Json.object(models.body())
                    .map(o -> Json.objects(o, "data").stream()
                            .map(m -> Json.string(m, "id").orElse(""))
                            .toList())
                    .orElse(List.of());
            if (!ids.contains(served)) {
                throw new CleanroomException("vLLM is up but GET /v1/models lists " + ids + ", not \"" + served
                        + "\". Perhaps you should check served_model_name.");
            }
            return HealthStatus.ok("/health answered and /v1/models lists " + served);
        } catch (IOException e) {
            return HealthStatus.notYet("GET " + url + "/health failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }
}
