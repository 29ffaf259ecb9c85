package dev.cleanroom.plugins.modelserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.plugins.TomlFixture;
import dev.cleanroom.plugins.ollama.OllamaPlugin;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GPU keys every LLM type shares, read through the real parser (as an {@code ollama} service). */
class GpuSettingsTest {

    /** Lines 1-2; keys appended start on line 3. */
    private static final String HEAD = "[services.app]\ntype = \"ollama\"\n";

    @TempDir
    Path dir;

    private TomlFixture toml;

    @BeforeEach
    void setUp() {
        toml = new TomlFixture(dir);
    }

    private GpuSettings read(String keys) throws Exception {
        return ModelServerFixture.server(new OllamaPlugin(), toml.service(HEAD + keys))
                .gpu();
    }

    @Test
    void withoutGpuKeysTheModeIsAutoWithTheTypesDefaultRequest() throws Exception {
        // Act
        GpuSettings settings = read("");

        // Assert
        assertThat(settings).isEqualTo(new GpuSettings(GpuMode.AUTO, GpuRequest.all(), "default"));
        assertThat(settings.describeRequest()).isEqualTo("all GPUs");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "gpu = \"auto\"      | AUTO | gpu = \"auto\"",
                "gpu = \"on\"        | ON   | gpu = \"on\"",
                "gpu = \"off\"       | OFF  | gpu = \"off\"",
                "gpu_enabled = true  | AUTO | gpu_enabled = true",
                "gpu_enabled = false | OFF  | gpu_enabled = false",
                "gpus = 0            | OFF  | gpus = 0"
            })
    void modeAndItsReasonComeFromTheKeyWritten(String line, GpuMode mode, String reason) throws Exception {
        // Act
        GpuSettings settings = read(line + "\n");

        // Assert
        assertThat(settings.mode()).isEqualTo(mode);
        assertThat(settings.reason()).isEqualTo(reason);
    }

    @Test
    void gpusIsACountAndGpuDevicesNamesGpus() throws Exception {
        // Act
        GpuSettings counted = read("gpus = 2\n");
        GpuSettings named = read("gpu = \"on\"\ngpu_devices = [\"0\", \"GPU-3f0c1a2b\"]\n");

        // Assert
        assertThat(counted.request()).isEqualTo(GpuRequest.count(2));
        assertThat(counted.count()).isEqualTo(2);
        assertThat(counted.describeRequest()).isEqualTo("2 GPUs");
        assertThat(named.request()).isEqualTo(GpuRequest.devices(List.of("0", "GPU-3f0c1a2b")));
        assertThat(named.count()).isEqualTo(2);
        assertThat(named.describeRequest()).isEqualTo("GPUs 0, GPU-3f0c1a2b");
    }

    @Test
    void negativeGpusOrMoreThanAnyHostHasIsReported() throws Exception {
        // Act
        List<String> negative = toml.problems(HEAD + "gpus = -1\n");
        List<String> tooMany = toml.problems(HEAD + "gpus = 1025\n");

        // Assert: the key's range, checked by the engine
        assertThat(negative)
                .containsExactly("app.clnrm.toml:3:1: services.app.gpus: -1 is outside 0..1024 "
                        + "(write a value in range, or remove the key for its default all)");
        assertThat(tooMany)
                .containsExactly("app.clnrm.toml:3:1: services.app.gpus: 1025 is outside 0..1024 "
                        + "(write a value in range, or remove the key for its default all)");
    }

    @Test
    void unknownGpuModeIsReported() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "gpu = \"yes\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:3:1: services.app.gpu: \"yes\" is not a GPU mode "
                        + "(write gpu = \"auto\", \"on\" or \"off\")");
    }

    @Test
    void gpuAndGpuEnabledTogetherAreReported() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "gpu = \"on\"\ngpu_enabled = true\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:4:1: services.app.gpu_enabled: conflicts with "
                                + "gpu = \"on\" (keep one of them: gpu_enabled = true is gpu = \"auto\", false is gpu = \"off\")");
    }

    @Test
    void gpusThatDisagreesWithTheDeviceListIsReported() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "gpus = 1\ngpu_devices = [\"0\", \"1\"]\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:3:1: services.app.gpus: gpus = 1 does not match the 2 "
                        + "device(s) of gpu_devices (remove gpus: the device list sets the count)");
    }

    @Test
    void emptyOrMalformedDeviceListIsReported() throws Exception {
        // Act
        List<String> empty = toml.problems(HEAD + "gpu_devices = []\n");
        List<String> malformed = toml.problems(HEAD + "gpu_devices = [\"0,1\"]\n");

        // Assert
        assertThat(empty)
                .containsExactly("app.clnrm.toml:3:1: services.app.gpu_devices: must not be empty "
                        + "(list GPU indexes or UUIDs, e.g. gpu_devices = [\"0\", \"1\"], or remove it)");
        assertThat(malformed)
                .containsExactly("app.clnrm.toml:3:1: services.app.gpu_devices: \"0,1\" is not a GPU "
                        + "index or UUID (write an index such as \"0\" or a UUID such as \"GPU-3f0c1a2b-...\")");
    }

    @Test
    void gpuOnWithZeroGpusIsReported() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "gpu = \"on\"\ngpus = 0\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.gpus: gpus = 0 asks for no GPU, but "
                        + "gpu = \"on\" requires one (write gpus = 1 or more, or gpu = \"off\")");
    }

    @Test
    void gpuCountWhileGpusAreOffIsReportedNotIgnored() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "gpu_enabled = false\ngpus = 2\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.gpus: has no effect: GPUs are off "
                        + "(gpu_enabled = false) (remove gpus, or use gpu = \"auto\" or \"on\")");
    }

    @Test
    void everyGpuKeyDescriptionNamesTheDockerFlag() {
        // Act + Assert
        assertThat(List.of(
                        GpuSettings.GPU,
                        GpuSettings.GPU_ENABLED,
                        GpuSettings.gpusKey(GpuRequest.count(1)),
                        GpuSettings.GPU_DEVICES))
                .allSatisfy(k -> assertThat(k.doc()).contains("--gpus"));
    }
}
