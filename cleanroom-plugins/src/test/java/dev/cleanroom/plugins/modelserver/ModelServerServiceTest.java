package dev.cleanroom.plugins.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.plugins.TomlFixture;
import dev.cleanroom.plugins.ollama.OllamaPlugin;
import dev.cleanroom.plugins.tgi.TgiPlugin;
import dev.cleanroom.plugins.vllm.VllmPlugin;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run of a model server: what stop removes, whether the start got that far or not. */
class ModelServerServiceTest {

    @TempDir
    Path dir;

    private Service service(String toml, RefusingBackend backend) throws Exception {
        return ModelServerFixture.define(new OllamaPlugin(), new TomlFixture(dir).service(toml))
                .create(backend);
    }

    @Test
    void stopRemovesTheContainerTheStartCreated() throws Exception {
        // Arrange
        RefusingBackend backend = new RefusingBackend();
        Service service = service("[services.app]\ntype = \"ollama\"\ncache_dir = \"cache\"\n", backend);
        service.start();

        // Act
        service.stop();

        // Assert
        assertThat(backend.stopped()).containsExactly(service.handle().containerId());
    }

    @Test
    void stopAfterAStartTheDaemonRefusedRemovesNothingAndDoesNotFail() throws Exception {
        // Arrange
        RefusingBackend backend = new RefusingBackend().refuseGpus();
        Service service = service("[services.app]\ntype = \"ollama\"\ncache_dir = \"cache\"\ngpu = \"on\"\n", backend);
        Throwable startFailure = catchThrowable(service::start);

        // Act
        service.stop();

        // Assert
        assertThat(startFailure).isInstanceOf(CleanroomException.class);
        assertThat(backend.stopped()).isEmpty();
        assertThat(service.handle()).isNull();
    }

    @Test
    void anAdoptedServerExportsWhatAFreshStartOfTheSameDefinitionExported() throws Exception {
        // Arrange: each type, started once, then adopted by a service of the next build
        Map<ServicePlugin, String> tables = Map.of(
                new OllamaPlugin(), "model = \"llama2\"\n",
                new VllmPlugin(), "model = \"meta-llama/Llama-2-7b-hf\"\nserved_model_name = \"llama\"\n",
                new TgiPlugin(), "model = \"HuggingFaceH4/zephyr-7b-beta\"\n");
        for (Map.Entry<ServicePlugin, String> table : tables.entrySet()) {
            ServicePlugin plugin = table.getKey();
            String toml = "[services.app]\ntype = \"" + plugin.type() + "\"\n" + table.getValue()
                    + "cache_dir = \"cache\"\ngpu = \"off\"\n";
            Service fresh = ModelServerFixture.define(plugin, new TomlFixture(dir).service(toml))
                    .create(new RefusingBackend());
            fresh.start();
            RefusingBackend next = new RefusingBackend();
            Service adopting = ModelServerFixture.define(plugin, new TomlFixture(dir).service(toml))
                    .create(next);

            // Act
            boolean adopted = adopting.adopt(new ContainerInfo(
                    fresh.handle().containerId(),
                    "clnrm-reuse-x-app",
                    "127.0.0.1",
                    fresh.handle().ports()));

            // Assert
            assertThat(adopted).as(plugin.type()).isTrue();
            assertThat(next.started())
                    .as(plugin.type() + ": containers created")
                    .isEmpty();
            assertThat(adopting.handle()).as(plugin.type()).isEqualTo(fresh.handle());
        }
    }

    @Test
    void aServerWhoseModelCacheIsGoneFromTheHostIsNotAdopted() throws Exception {
        // Arrange: the cache directory the running container has mounted was deleted since
        RefusingBackend backend = new RefusingBackend();
        Service service = service("[services.app]\ntype = \"ollama\"\ncache_dir = \"cache\"\n", backend);

        // Act
        boolean adopted = service.adopt(new ContainerInfo("left", "clnrm-reuse-x-app", "127.0.0.1", Map.of(11434, 1)));

        // Assert
        assertThat(adopted).isFalse();
        assertThat(backend.logLines())
                .containsExactly("INFO Not adopting the running Ollama: its model cache "
                        + dir.resolve("cache").toAbsolutePath() + " is gone");
    }

    @Test
    void theThreeTypesShareTheKeysOfEveryModelServer() {
        // Act + Assert: the shared keys, declared once, in the same place of each type's reference
        for (var plugin : java.util.List.of(new OllamaPlugin(), new VllmPlugin(), new TgiPlugin())) {
            assertThat(plugin.keys())
                    .extracting(k -> k.path())
                    .as(plugin.type())
                    .startsWith("image", "tag")
                    .endsWith("cache_dir", "gpu", "gpu_enabled", "gpus", "gpu_devices", "start_timeout", "env");
        }
    }
}
