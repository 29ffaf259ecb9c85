package dev.cleanroom.plugins.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import dev.cleanroom.plugins.TomlFixture;
import dev.cleanroom.plugins.modelserver.ModelServerFixture;
import dev.cleanroom.plugins.modelserver.RefusingBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ollama} accepts and refuses, and the container it asks for. */
class OllamaConfigTest {

    /** Lines 1-3; keys appended start on line 4. */
    private static final String HEAD = "[services.app]\ntype = \"ollama\"\nmodel = \"llama2\"\n";

    @TempDir
    Path dir;

    private TomlFixture toml;

    @BeforeEach
    void setUp() {
        toml = new TomlFixture(dir);
    }

    private OllamaDefinition settings(String text) throws Exception {
        return (OllamaDefinition) ModelServerFixture.define(new OllamaPlugin(), toml.service(text));
    }

    private static ContainerSpec containerSpec(OllamaDefinition settings) {
        Optional<GpuRequest> gpu = Optional.of(settings.server().gpu().request());
        return settings.server().containerSpec(List.of("serve"), gpu);
    }

    /** Starts the service as the engine would, on {@code backend}. */
    private static Service start(ServiceConfig config, RefusingBackend backend) throws Exception {
        Service service = ModelServerFixture.define(new OllamaPlugin(), config).create(backend);
        service.start();
        return service;
    }

    @Test
    void discoveryFindsOllama() {
        assertThat(ServiceFactory.discover(getClass().getClassLoader()).plugin("ollama"))
                .hasValueSatisfying(p -> assertThat(p).isInstanceOf(OllamaPlugin.class));
    }

    @Test
    void seedExampleGivesThePinnedImageServePortCacheAndAllGpus() throws Exception {
        // Arrange: the seed's example, verbatim
        OllamaDefinition settings =
                settings("[services.app]\ntype = \"ollama\"\nmodel = \"llama2\"\ngpu_enabled = true\n");

        // Act
        ContainerSpec spec = containerSpec(settings);

        // Assert
        assertThat(spec.image()).isEqualTo("ollama/ollama:0.12.10");
        assertThat(spec.command()).contains(List.of("serve"));
        assertThat(spec.entrypoint()).isEmpty();
        assertThat(spec.ports()).containsExactly(PortSpec.container(11434));
        assertThat(spec.volumes())
                .containsExactly(new VolumeMount(
                        Path.of(System.getProperty("user.home"), ".cache/cleanroom/ollama"), "/root/.ollama", false));
        assertThat(spec.gpus()).contains(GpuRequest.all());
        assertThat(spec.env()).isEmpty();
        assertThat(spec.shmSizeBytes()).isZero();
        assertThat(spec.stopTimeout()).isZero();
        assertThat(settings.model()).contains("llama2");
    }

    @Test
    void imageTagCacheEnvAndTimeoutsAreTakenFromTheFile() throws Exception {
        // Arrange
        OllamaDefinition settings = settings(HEAD + "image = \"mirror.local/ollama/ollama\"\ntag = \"0.6.8\"\n"
                + "cache_dir = \"models\"\nenv.OLLAMA_KEEP_ALIVE = \"24h\"\nstart_timeout = \"30s\"\npull_timeout = \"1h\"\n"
                + "gpus = 2\n");

        // Act
        ContainerSpec spec = containerSpec(settings);

        // Assert
        assertThat(spec.image()).isEqualTo("mirror.local/ollama/ollama:0.6.8");
        assertThat(spec.volumes())
                .containsExactly(new VolumeMount(dir.resolve("models").toAbsolutePath(), "/root/.ollama", false));
        assertThat(spec.env()).isEqualTo(Map.of("OLLAMA_KEEP_ALIVE", "24h"));
        assertThat(spec.gpus()).contains(GpuRequest.count(2));
        assertThat(settings.pullTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(settings(HEAD + "start_timeout = \"30s\"\n").waitPolicy())
                .isEqualTo(WaitPolicy.of(Duration.ofMillis(200), Duration.ofSeconds(30), 0));
    }

    @Test
    void defaultWaitIsTwoMinutesAndPullThirty() throws Exception {
        // Act
        OllamaDefinition settings = settings(HEAD);

        // Assert
        assertThat(settings.waitPolicy()).isEqualTo(WaitPolicy.of(Duration.ofMillis(200), Duration.ofMinutes(2), 0));
        assertThat(settings(HEAD).pullTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aStandInImageWithItsOwnTagIsUsedAsWritten() throws Exception {
        // Act
        OllamaDefinition settings = settings(HEAD + "image = \"cleanroom/llm-standin:fixture\"\n");

        // Assert
        assertThat(settings.server().image()).isEqualTo("cleanroom/llm-standin:fixture");
    }

    @Test
    void withoutAModelOnlyTheServerStarts() throws Exception {
        // Act
        OllamaDefinition settings = settings("[services.app]\ntype = \"ollama\"\n");

        // Assert
        assertThat(settings.model()).isEmpty();
    }

    @Test
    void startCreatesTheCacheDirectoryAndExportsTheUrlAndModel() throws Exception {
        // Arrange
        ServiceConfig config = toml.service(HEAD + "cache_dir = \"cache/ollama\"\ngpu = \"off\"\n");
        RefusingBackend backend = new RefusingBackend();

        // Act
        ServiceHandle handle = start(config, backend).handle();

        // Assert
        assertThat(Files.isDirectory(dir.resolve("cache/ollama"))).isTrue();
        assertThat(handle.endpoints())
                .containsExactly(Map.entry("url", "http://127.0.0.1:32768"), Map.entry("model", "llama2"));
        assertThat(backend.logLines()).containsExactly("INFO GPU: off (gpu = \"off\"): starting Ollama without GPUs");
    }

    @Test
    void startFallsBackToCpuWhenTheDaemonRefusesGpus() throws Exception {
        // Arrange
        ServiceConfig config = toml.service(HEAD + "cache_dir = \"cache\"\n");
        RefusingBackend backend = new RefusingBackend().refuseGpus();

        // Act
        start(config, backend);

        // Assert
        assertThat(backend.attempts())
                .extracting(ContainerSpec::gpus)
                .containsExactly(Optional.of(GpuRequest.all()), Optional.empty());
        assertThat(backend.logLines())
                .singleElement()
                .asString()
                .startsWith("WARN GPU: auto (default): the Docker daemon cannot provide GPUs (");
    }

    // --- errors ---------------------------------------------------------------------------------

    @Test
    void malformedModelNameIsReported() throws Exception {
        // Act
        List<String> problems = toml.problems("[services.app]\ntype = \"ollama\"\nmodel = \"llama 2\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:3:1: services.app.model: \"llama 2\" is not an Ollama "
                        + "model name (write e.g. model = \"llama2\" or model = \"llama3.2:1b\")");
    }

    @Test
    void tagNextToATaggedImageIsReported() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "image = \"ollama/ollama:0.6.8\"\ntag = \"0.7.0\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:5:1: services.app.tag: image \"ollama/ollama:0.6.8\" "
                        + "already names a tag or digest (remove tag, or write image without its tag)");
    }

    @Test
    void invalidImageIsReported() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "image = \"Ollama\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.image: \"Ollama\" is not a valid "
                        + "image reference (write name[:tag] in lower case, e.g. image = \"ollama/ollama\")");
    }

    @Test
    void zeroTimeoutsAndAFileAsCacheDirAreReportedTogether() throws Exception {
        // Arrange
        Files.writeString(dir.resolve("a-file"), "x");

        // Act
        List<String> problems =
                toml.problems(HEAD + "start_timeout = \"0s\"\npull_timeout = 0\ncache_dir = \"a-file\"\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:4:1: services.app.start_timeout: must be at least 1s, was 0s (write a value in "
                                + "range, or remove the key for its default 2m)",
                        "app.clnrm.toml:5:1: services.app.pull_timeout: must be at least 1s, was 0s (write a value in "
                                + "range, or remove the key for its default 30m)",
                        "app.clnrm.toml:6:1: services.app.cache_dir: "
                                + dir.resolve("a-file").toAbsolutePath()
                                + " is a file, not a directory (name a directory; it is created if missing)");
    }

    @Test
    void misspelledKeyGetsASuggestion() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "gpu_enable = true\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.gpu_enable: unknown key for type "
                        + "\"ollama\" (did you mean `gpu_enabled`?)");
    }

    @Test
    void everyKeyDescriptionNamesItsUpstreamCounterpart() {
        // Act + Assert
        assertThat(new OllamaPlugin().keys())
                .allSatisfy(key -> assertThat(key.doc())
                        .as(key.path())
                        .containsAnyOf("--", "/api/", "OLLAMA_", "ollama ", "docker run"));
    }
}
