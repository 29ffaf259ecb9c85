package dev.cleanroom.plugins.docs.guide;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ConfigSchema;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.LegacyServicePlugin;
import java.util.List;

/** {@code my_custom_service}: one container of any image, reached over HTTP on one port. */
public final class MyCustomPlugin implements LegacyServicePlugin {

    public static final String TYPE = "my_custom_service";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            ConfigKey.required("image", ValueType.STRING, "Image to run"),
            ConfigKey.optional("port", ValueType.INTEGER, "8080", "Port the service listens on in the container"),
            ConfigKey.optional("env", ValueType.STRING_MAP, "", "Environment variables: env.NAME = \"value\""),
            ConfigKey.secret("api_key", "Passed to the container as API_KEY; masked in every log"));

    @Override
    public String serviceType() {
        return TYPE;
    }

    @Override
    public String description() {
        return "My custom service";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config) {
        long port = config.integer("port", 8080);
        if (port < 1 || port > 65535) {
            return List.of(config.problem("port", port + " is outside 1..65535",
                    "write the container port, e.g. port = 8080"));
        }
        return List.of();
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        int port = (int) config.integer("port", 8080);
        ContainerSpec.Builder spec = ContainerSpec.builder(config.string("image", ""))
                .env(config.stringMap("env"))
                .port(PortSpec.container(port));
        config.string("api_key").ifPresent(key -> spec.secretEnv("API_KEY", key));
        ContainerInfo container = backend.startContainer(spec.build());
        // Every endpoint is exported to the tests, here as cleanroom.<service>.url.
        return ServiceHandle.of(config.name(), container)
                .withEndpoint("url", "http://" + container.host() + ":" + container.hostPort(port));
    }

    // The default does the same; override it to save or export data before the container goes.
    @Override
    public void stop(ServiceHandle handle, ContainerBackend backend) throws CleanroomException {
        backend.stopContainer(handle.containerId());
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        return backend.isRunning(handle.containerId()) ? HealthStatus.ok("running")
                : HealthStatus.notYet("not running yet");
    }
}
