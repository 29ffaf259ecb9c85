package dev.cleanroom.plugins.tgi;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.plugins.modelserver.ModelServerService;
import dev.cleanroom.plugins.modelserver.ServerHttp;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** One run of TGI: ready once /health answers (after warmup); exports the model /info names. */
final class TgiService extends ModelServerService {

    private final TgiDefinition definition;

    TgiService(TgiDefinition definition, ServiceContext context) {
        super(definition.server(), context);
        this.definition = definition;
    }

    @Override
    protected List<String> command(Optional<GpuRequest> gpu) {
        return definition.command(gpu);
    }

    @Override
    public HealthStatus checkHealth() {
        return HealthProbes.http(url() + "/health", PROBE_TIMEOUT);
    }

    @Override
    public void afterReady() throws CleanroomException {
        exportModel();
    }

    /**
     * Reused across builds, the server keeps its loaded model and holds no state of a run, so
     * nothing is cleared; but {@code model} is learnt from the server, so it is asked again.
     */
    @Override
    public void reset() throws CleanroomException {
        exportModel();
    }

    /** Exports the model TGI reports in GET /info, which is what it actually loaded. */
    private void exportModel() throws CleanroomException {
        String url = url();
        try {
            ServerHttp.Answer info = ServerHttp.get(url + "/info", PROBE_TIMEOUT);
            String model = Json.object(info.body())
                    .flatMap(o -> Json.string(o, "model_id"))
                    .filter(m -> info.ok())
                    .orElseThrow(() -> new CleanroomException("TGI is healthy but GET " + url + "/info answered HTTP "
                            + info.status() + " without a model_id: " + info.body()));
            context.log().info("TGI serves " + model);
            export("model", model);
        } catch (IOException e) {
            throw new CleanroomException("TGI is healthy but GET " + url + "/info failed: " + e, e);
        }
    }
}
