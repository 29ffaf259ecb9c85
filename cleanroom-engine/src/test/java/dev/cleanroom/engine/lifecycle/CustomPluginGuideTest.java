package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ServiceFactory;
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
import dev.cleanroom.engine.testing.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's "Creating Custom Plugin" guide, in Java on plugin contract 1.0, registered in code
 * and run. The Rust plugin is one struct holding its name and config; here the plugin declares
 * the keys, its definition holds the config, and a service per run holds the container.
 */
class CustomPluginGuideTest {

    /** The guide's plugin, as a plugin author would write it: it imports only the spi. */
    static final class MyCustomPlugin implements ServicePlugin {

        static final Key<String> IMAGE = Key.string("image").required().doc("Image to run");
        static final Key<Map<String, String>> ENV =
                Key.table("env").byDefault(Map.of()).doc("Environment variables");

        @Override
        public String type() {
            return "my_custom_service";
        }

        @Override
        public String description() {
            return "My custom service";
        }

        @Override
        public List<Key<?>> keys() {
            return List.of(IMAGE, ENV);
        }

        @Override
        public ServiceDefinition define(Settings settings) {
            return new MyConfig(settings.get(IMAGE), settings.get(ENV));
        }
    }

    /** The Rust plugin's {@code config}: read once from the file. */
    record MyConfig(String image, Map<String, String> envVars) implements ServiceDefinition {

        @Override
        public List<String> images() {
            return List.of(image);
        }

        @Override
        public Service create(ServiceContext context) {
            return new MyCustomService(this, context);
        }
    }

    /** One run: start, stop and health_check of the Rust trait, with the container it started. */
    static final class MyCustomService implements Service {
        private final MyConfig config;
        private final ServiceContext context;
        private ServiceHandle handle;

        MyCustomService(MyConfig config, ServiceContext context) {
            this.config = config;
            this.context = context;
        }

        @Override
        public void start() throws CleanroomException {
            ContainerInfo container = context.containers()
                    .startContainer(ContainerSpec.builder(config.image())
                            .env(config.envVars())
                            .build());
            handle = ServiceHandle.of(context.serviceName(), container);
        }

        @Override
        public HealthStatus checkHealth() throws CleanroomException {
            return context.containers().isRunning(handle.containerId())
                    ? HealthStatus.ok()
                    : HealthStatus.notYet("not running");
        }

        @Override
        public ServiceHandle handle() {
            return handle;
        }

        @Override
        public void stop() throws CleanroomException {
            if (handle != null) {
                context.containers().stopContainer(handle.containerId());
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void customPluginRegisteredInCodeStartsRunsStepsAndStops() throws Exception {
        // Arrange
        ServiceFactory factory = new ServiceFactory();
        factory.register("my_custom_service", new MyCustomPlugin());
        FakeRuntime runtime = new FakeRuntime();
        CleanroomEngine engine = TestEngines.builder(factory, runtime.factory()).build();
        Path file = dir.resolve("custom.clnrm.toml");
        Files.writeString(file, """
                [services.mine]
                type = "my_custom_service"
                image = "my-image:1"
                env.MY_VAR = "value"

                [[steps]]
                name = "check"
                service = "mine"
                command = ["echo", "ok"]
                expected_output_regex = "ok"
                """);

        // Act
        RunReport report = engine.run(engine.load(file));

        // Assert
        assertThat(report.passed()).isTrue();
        assertThat(report.services()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("my_custom_service");
            assertThat(s.image()).isEqualTo("my-image:1");
        });
        assertThat(runtime.events()).filteredOn(e -> e.startsWith("remove ")).hasSize(1);
        assertThat(runtime.containerCount()).isZero();
    }
}
