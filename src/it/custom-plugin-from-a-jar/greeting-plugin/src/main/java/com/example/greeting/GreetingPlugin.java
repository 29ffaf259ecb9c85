package com.example.greeting;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import java.util.List;

/** {@code greeting}: a container that holds a greeting in its environment, as a team's own type would. */
public final class GreetingPlugin implements ServicePlugin {

    static final Key<String> MESSAGE = Key.string("message").required().doc("What the service greets with");
    static final Key<String> IMAGE = Key.string("image").byDefault("cleanroom/busybox:fixture").doc("Image to run");

    @Override
    public String type() {
        return "greeting";
    }

    @Override
    public String description() {
        return "A greeting held by a container (a custom type from a jar)";
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(MESSAGE, IMAGE);
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        return new Greeting(settings.get(MESSAGE), settings.get(IMAGE));
    }

    /** One greeting service as the file describes it. */
    record Greeting(String message, String image) implements ServiceDefinition {

        @Override
        public List<String> images() {
            return List.of(image);
        }

        @Override
        public Service create(ServiceContext context) {
            return new Greeter(this, context);
        }
    }

    /** One run of a greeting service: its container. */
    static final class Greeter implements Service {
        private final Greeting greeting;
        private final ServiceContext context;
        private ServiceHandle handle;

        Greeter(Greeting greeting, ServiceContext context) {
            this.greeting = greeting;
            this.context = context;
        }

        @Override
        public void start() throws CleanroomException {
            ContainerInfo container = context.containers().startContainer(ContainerSpec.builder(greeting.image())
                    .env("GREETING", greeting.message())
                    .command(List.of("sleep", "infinity"))
                    .build());
            handle = ServiceHandle.of(context.serviceName(), container).withEndpoint("greeting", greeting.message());
        }

        @Override
        public HealthStatus checkHealth() throws CleanroomException {
            return context.containers().isRunning(handle.containerId()) ? HealthStatus.ok("running")
                    : HealthStatus.notYet("starting");
        }

        @Override
        public ServiceHandle handle() {
            return handle;
        }

        // Called even when start failed: then there is no container to stop.
        @Override
        public void stop() throws CleanroomException {
            if (handle != null) {
                context.containers().stopContainer(handle.containerId());
            }
        }
    }
}
