package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.config.ConfigSchema;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.LegacyServicePlugin;
import dev.cleanroom.engine.testing.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's "Creating Custom Plugin" guide, in Java, registered in code and run. */
class CustomPluginGuideTest {

    /** The guide's plugin, as a plugin author would write it. */
    static final class MyCustomPlugin implements LegacyServicePlugin {

        @Override
        public String serviceType() {
            return "my_custom_service";
        }

        @Override
        public String description() {
            return "My custom service";
        }

        @Override
        public ConfigSchema configSchema() {
            return ConfigSchema.of(
                    ConfigKey.required("image", ValueType.STRING, "Image to run"),
                    ConfigKey.optional("env", ValueType.STRING_MAP, "", "Environment variables"));
        }

        @Override
        public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
            ContainerInfo container = backend.startContainer(ContainerSpec.builder(config.string("image", ""))
                    .env(config.stringMap("env"))
                    .build());
            return ServiceHandle.of(config.name(), container);
        }

        @Override
        public void stop(ServiceHandle handle, ContainerBackend backend) throws CleanroomException {
            backend.stopContainer(handle.containerId());
        }

        @Override
        public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
                throws CleanroomException {
            return backend.isRunning(handle.containerId()) ? HealthStatus.ok() : HealthStatus.notYet("not running");
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
