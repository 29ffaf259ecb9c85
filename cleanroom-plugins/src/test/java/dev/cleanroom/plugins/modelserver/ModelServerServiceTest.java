package dev.cleanroom.plugins.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.plugins.TomlFixture;
import dev.cleanroom.plugins.ollama.OllamaPlugin;
import dev.cleanroom.plugins.tgi.TgiPlugin;
import dev.cleanroom.plugins.vllm.VllmPlugin;
import java.nio.file.Path;
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
