package dev.cleanroom.plugins.docs.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.PluginInfo;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.PluginDefinitions;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.StubServiceContext;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The custom plugin guide's example, registered both ways the guide shows and run on a fake
 * container runtime. TomlReferenceTest holds the guide's code blocks equal to these files.
 */
class MyCustomPluginGuideTest {

    /** The guide's TOML file, as committed under src/test/resources/docs/guide. */
    static final String GUIDE_FILE = "docs/guide/custom.clnrm.toml";

    @TempDir
    Path dir;

    @Test
    void pluginRegisteredInCodeStartsExportsItsUrlRunsTheStepAndIsRemoved() throws Exception {
        // Arrange
        // tag::register[]
        CleanroomEngine.Builder builder = CleanroomEngine.builder().plugins(new MyCustomPlugin());
        // end::register[]
        FakeRuntime runtime = new FakeRuntime();
        CleanroomEngine engine =
                TestEngines.withRuntime(builder, runtime.factory()).build();

        // Act
        List<StepResult> steps;
        try (Environment environment = engine.start(engine.load(guideFile()))) {
            steps = environment.runSteps();

            // Assert
            assertThat(environment.exportedProperties())
                    .containsOnly(
                            entry("cleanroom.mine.host", "127.0.0.1"),
                            entry("cleanroom.mine.port", "32768"),
                            entry("cleanroom.mine.port.9000", "32768"),
                            entry("cleanroom.mine.url", "http://127.0.0.1:32768"));
            assertThat(runtime.runningSpecs()).singleElement().satisfies(spec -> {
                assertThat(spec.image()).isEqualTo("my-registry.example/my-service:1.0");
                assertThat(spec.env()).containsEntry("GREETING", "hello").containsEntry("API_KEY", "s3cr3t-api-key");
                assertThat(spec.secretEnvNames()).containsExactly("API_KEY");
                assertThat(spec.ports()).containsExactly(PortSpec.container(9000));
            });
        }
        assertThat(steps).singleElement().satisfies(step -> {
            assertThat(step.name()).isEqualTo("says_hello");
            assertThat(step.status()).isEqualTo(StepResult.Status.PASSED);
        });
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void serviceLoaderFindsThePluginThroughItsServicesFile() throws Exception {
        // Arrange: a jar's root, as the guide lays it out, holding only META-INF/services.
        URL services = getClass()
                .getClassLoader()
                .getResource("docs/guide/META-INF/services/dev.cleanroom.engine.spi.ServicePlugin");
        URL jarRoot = Path.of(services.toURI())
                .getParent()
                .getParent()
                .getParent()
                .toUri()
                .toURL();

        // Act
        ServiceFactory factory;
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {jarRoot}, getClass().getClassLoader())) {
            factory = ServiceFactory.discover(loader);
        }

        // Assert
        assertThat(factory.types()).contains("generic_container", "my_custom_service");
        assertThat(factory.plugin("my_custom_service"))
                .hasValueSatisfying(p -> assertThat(p).isInstanceOf(MyCustomPlugin.class));
    }

    @Test
    void pluginsGoalListsTheTypeWithItsDescriptionAndKeys() {
        // Arrange
        ServiceFactory factory = new ServiceFactory().register("my_custom_service", new MyCustomPlugin());

        // Act
        List<PluginInfo> plugins =
                TestEngines.builderWithServices(factory).build().plugins();

        // Assert
        assertThat(plugins).singleElement().satisfies(info -> {
            assertThat(info.type()).isEqualTo("my_custom_service");
            assertThat(info.description()).isEqualTo("My custom service");
            assertThat(info.keys()).extracting(k -> k.path()).containsExactly("image", "port", "env", "api_key");
        });
    }

    @Test
    void portOutOfRangeIsReportedBeforeAnythingStarts() throws Exception {
        // Arrange
        Path file = dir.resolve("custom.clnrm.toml");
        Files.writeString(file, Files.readString(guideFile()).replace("port = 9000", "port = 70000"));
        FakeRuntime runtime = new FakeRuntime();
        CleanroomEngine engine = TestEngines.builder(
                        new ServiceFactory().register("my_custom_service", new MyCustomPlugin()), runtime.factory())
                .build();

        // Act
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> engine.load(file));

        // Assert
        assertThat(error.problems())
                .singleElement()
                .hasToString(file + ":4:1: services.mine.port: 70000 is "
                        + "outside 1..65535 (write a value in range, or remove the key for its default 8080)");
        assertThat(runtime.events()).isEmpty();
    }

    @Test
    void emptyApiKeyIsReportedAtItsLineBeforeAnythingStarts() throws Exception {
        // Arrange
        Path file = dir.resolve("custom.clnrm.toml");
        Files.writeString(file, Files.readString(guideFile()).replace("\"s3cr3t-api-key\"", "\" \""));
        FakeRuntime runtime = new FakeRuntime();
        CleanroomEngine engine = TestEngines.builder(
                        new ServiceFactory().register(new MyCustomPlugin()), runtime.factory())
                .build();

        // Act
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> engine.load(file));

        // Assert
        assertThat(error.problems())
                .singleElement()
                .hasToString(file + ":6:1: services.mine.api_key: must not be "
                        + "empty (remove api_key, or write the key the service expects)");
        assertThat(runtime.events()).isEmpty();
    }

    @Test
    void stopAfterAStartThatFailedBeforeItsContainerRanHasNothingToStop() throws Exception {
        // Arrange: the engine calls stop even when start threw
        FakeRuntime runtime = new FakeRuntime().failStartOf("my-registry.example/my-service:1.0", "no space left");
        RecordingLog log = new RecordingLog();
        CleanroomEngine engine = TestEngines.builder(
                        new ServiceFactory().register(new MyCustomPlugin()), runtime.factory())
                .log(log)
                .build();

        // Act
        Throwable thrown =
                catchThrowable(() -> engine.start(engine.load(guideFile())).close());

        // Assert
        assertThat(thrown).isInstanceOf(ServiceStartException.class).hasMessageContaining("no space left");
        assertThat(log.text()).doesNotContain("Plugin stop of service mine failed");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void eachRunGetsItsOwnServiceOfTheOneDefinition() throws Exception {
        // Arrange
        ServiceDefinition definition =
                PluginDefinitions.define(new MyCustomPlugin(), Map.of("image", "my-image:1", "port", 9000L));
        FakeRuntime runtime = new FakeRuntime();

        // Act
        Service first = definition.create(new StubServiceContext("mine", runtime));
        Service second = definition.create(new StubServiceContext("mine", runtime));
        first.start();

        // Assert
        assertThat(first.handle().endpoints()).containsEntry("url", "http://127.0.0.1:32768");
        assertThat(second.handle()).isNull();
        assertThat(definition.images()).containsExactly("my-image:1");
        first.stop();
        second.stop();
        assertThat(runtime.containerCount()).isZero();
    }

    private static Path guideFile() throws Exception {
        return Path.of(MyCustomPluginGuideTest.class
                .getClassLoader()
                .getResource(GUIDE_FILE)
                .toURI());
    }
}
