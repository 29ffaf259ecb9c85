package dev.cleanroom.plugins.ollama;

import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.plugins.modelserver.ModelServer;
import dev.cleanroom.plugins.modelserver.ModelServerDefinition;
import java.time.Duration;
import java.util.Optional;

/** An {@code ollama} service as read from its table, once, with every problem reported. */
record OllamaDefinition(ModelServer server, Optional<String> model, Duration pullTimeout)
        implements ModelServerDefinition {

    static OllamaDefinition read(Settings settings) {
        // Ollama pulls from its own library, not the Hugging Face Hub: no token to look for.
        ModelServer server = ModelServer.read(settings, OllamaPlugin.SERVER, name -> null, name -> null);
        Optional<String> model = settings.find(OllamaPlugin.MODEL);
        model.filter(m -> !m.matches("[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9._-]+)?"))
                .ifPresent(m -> settings.problem(
                        OllamaPlugin.MODEL,
                        "\"" + m + "\" is not an Ollama model name",
                        "write e.g. model = \"llama2\" or model = \"llama3.2:1b\""));
        return new OllamaDefinition(server, model, settings.get(OllamaPlugin.PULL_TIMEOUT));
    }

    @Override
    public Service create(ServiceContext context) {
        return new OllamaService(this, context);
    }
}
