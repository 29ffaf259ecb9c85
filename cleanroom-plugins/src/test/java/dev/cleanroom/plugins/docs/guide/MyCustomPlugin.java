package dev.cleanroom.plugins.docs.guide;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code my_custom_service}: one container of any image, reached over HTTP on one port. */
public final class MyCustomPlugin implements ServicePlugin {

    public static final String TYPE = "my_custom_service";

    // Each key is declared once: the engine checks type, range and presence, and the docs show it.
    static final Key<String> IMAGE = Key.string("image").required().doc("Image to run");
    static final Key<Long> PORT = Key.integer("port")
            .between(1L, 65535L)
            .byDefault(8080L)
            .doc("Port the service listens on in the container");
    static final Key<Map<String, String>> ENV =
            Key.table("env").byDefault(Map.of()).doc("Environment variables: env.NAME = \"value\"");
    static final Key<String> API_KEY =
            Key.secret("api_key").doc("Passed to the container as API_KEY; masked in every log");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "My custom service";
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(IMAGE, PORT, ENV, API_KEY);
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        // What keys cannot express (formats, files, combinations) is checked here, at the key's line.
        if (settings.find(API_KEY).filter(String::isBlank).isPresent()) {
            settings.problem(API_KEY, "must not be empty", "remove api_key, or write the key the service expects");
        }
        return new Definition(
                settings.get(IMAGE), settings.get(PORT).intValue(), settings.get(ENV), settings.find(API_KEY));
    }

    /** One service as its file describes it, read once; every run creates its own service of it. */
    record Definition(String image, int port, Map<String, String> env, Optional<String> apiKey)
            implements ServiceDefinition {

        // Declared so that pull = "never" can check the image, and cleanroom:pull fetch it, ahead.
        @Override
        public List<String> images() {
            return List.of(image);
        }

        @Override
        public Service create(ServiceContext context) {
            return new MyCustomService(this, context);
        }
    }

    /** One run of the service: it holds that run's container. */
    static final class MyCustomService implements Service {
        private final Definition definition;
        private final ServiceContext context;
        private ServiceHandle handle;

        MyCustomService(Definition definition, ServiceContext context) {
            this.definition = definition;
            this.context = context;
        }

        @Override
        public void start() throws CleanroomException {
            ContainerSpec.Builder spec = ContainerSpec.builder(definition.image())
                    .env(definition.env())
                    .port(PortSpec.container(definition.port()));
            definition.apiKey().ifPresent(key -> spec.secretEnv("API_KEY", key));
            ContainerInfo container = context.containers().startContainer(spec.build());
            // Every endpoint is exported to the tests, here as cleanroom.<service>.url.
            handle = ServiceHandle.of(context.serviceName(), container)
                    .withEndpoint("url", "http://" + container.address(definition.port()));
        }

        @Override
        public HealthStatus checkHealth() throws CleanroomException {
            return context.containers().isRunning(handle.containerId())
                    ? HealthStatus.ok("running")
                    : HealthStatus.notYet("not running yet");
        }

        @Override
        public ServiceHandle handle() {
            return handle;
        }

        // Called once start was called, even when it failed before the container ran.
        @Override
        public void stop() throws CleanroomException {
            if (handle != null) {
                context.containers().stopContainer(handle.containerId());
            }
        }
    }
}
