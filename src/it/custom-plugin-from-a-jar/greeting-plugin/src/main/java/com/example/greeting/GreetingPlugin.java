package com.example.greeting;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.config.ConfigSchema;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.LegacyServicePlugin;
import java.util.List;

/** {@code greeting}: a container that holds a greeting in its environment, as a team's own type would. */
public final class GreetingPlugin implements LegacyServicePlugin {

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            ConfigKey.required("message", ValueType.STRING, "What the service greets with"),
            ConfigKey.optional("image", ValueType.STRING, "cleanroom/busybox:fixture", "Image to run"));

    @Override
    public String serviceType() {
        return "greeting";
    }

    @Override
    public String description() {
        return "A greeting held by a container (a custom type from a jar)";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        ContainerInfo container = backend.startContainer(ContainerSpec.builder(config.string("image",
                        "cleanroom/busybox:fixture"))
                .env("GREETING", config.string("message", ""))
                .command(List.of("sleep", "infinity"))
                .build());
        return ServiceHandle.of(config.name(), container).withEndpoint("greeting", config.string("message", ""));
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        return backend.isRunning(handle.containerId()) ? HealthStatus.ok("running") : HealthStatus.notYet("starting");
    }
}
