package dev.cleanroom.plugins.tgi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import dev.cleanroom.plugins.TomlFixture;
import dev.cleanroom.plugins.modelserver.ModelServerFixture;
import dev.cleanroom.plugins.modelserver.RefusingBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code tgi} accepts and refuses, and the container it asks for. */
class TgiConfigTest {

    /** Lines 1-3; keys appended start on line 4. */
    private static final String HEAD = "[services.app]\ntype = \"tgi\"\nmodel = \"HuggingFaceH4/zephyr-7b-beta\"\n";

    private static final String TOKEN = "hf_tgitokenvalue1234567890";

    @TempDir
    Path dir;

    private TomlFixture toml;

    @BeforeEach
    void setUp() {
        toml = new TomlFixture(dir);
    }

    /** Read without an HF token from the machine's environment. */
    private TgiDefinition settings(String text) throws Exception {
        return (TgiDefinition) ModelServerFixture.define(new TgiPlugin(n -> null, n -> null), toml.service(text));
    }

    @Test
    void defaultsGiveModelIdHostnameShmDataCacheAndOneGpu() throws Exception {
        // Arrange
        TgiDefinition settings = settings(HEAD);

        // Act
        ContainerSpec spec = settings.server()
                .containerSpec(
                        settings.command(Optional.of(settings.server().gpu().request())),
                        Optional.of(settings.server().gpu().request()));

        // Assert
        assertThat(spec.image()).isEqualTo("ghcr.io/huggingface/text-generation-inference:3.3.5");
        assertThat(spec.command())
                .contains(
                        List.of("--model-id", "HuggingFaceH4/zephyr-7b-beta", "--hostname", "0.0.0.0", "--port", "80"));
        assertThat(spec.entrypoint()).isEmpty();
        assertThat(spec.ports()).containsExactly(PortSpec.container(80));
        assertThat(spec.gpus()).contains(GpuRequest.count(1));
        assertThat(spec.shmSizeBytes()).isEqualTo(1L << 30);
        assertThat(spec.volumes())
                .containsExactly(new VolumeMount(
                        Path.of(System.getProperty("user.home"), ".cache/cleanroom/tgi"), "/data", false));
        assertThat(settings.waitPolicy()).isEqualTo(WaitPolicy.of(Duration.ofMillis(500), Duration.ofMinutes(20), 0));
    }

    @Test
    void everyFlagKeyBecomesItsUpstreamFlagAndGpusBecomeShards() throws Exception {
        // Arrange
        TgiDefinition settings = settings(
                HEAD + "revision = \"v1\"\nquantize = \"bitsandbytes-nf4\"\ngpus = 2\n"
                        + "dtype = \"bfloat16\"\nmax_input_tokens = 1024\nmax_total_tokens = 2048\nargs = [\"--trust-remote-code\"]\n");

        // Act
        List<String> onGpu =
                settings.command(Optional.of(settings.server().gpu().request()));
        List<String> onCpu = settings.command(Optional.empty());

        // Assert
        assertThat(onGpu)
                .containsExactly(
                        "--model-id",
                        "HuggingFaceH4/zephyr-7b-beta",
                        "--revision",
                        "v1",
                        "--quantize",
                        "bitsandbytes-nf4",
                        "--num-shard",
                        "2",
                        "--dtype",
                        "bfloat16",
                        "--max-input-tokens",
                        "1024",
                        "--max-total-tokens",
                        "2048",
                        "--hostname",
                        "0.0.0.0",
                        "--port",
                        "80",
                        "--trust-remote-code");
        assertThat(onCpu).doesNotContain("--num-shard");
    }

    @Test
    void autoWithoutGpusFallsBackToCpuWithoutShardsAndTheTokenIsSecret() throws Exception {
        // Arrange
        ServiceConfig config = toml.service(HEAD + "gpus = 2\ncache_dir = \"cache\"\n");
        RefusingBackend backend = new RefusingBackend().refuseGpus();

        // Act
        Service service = ModelServerFixture.define(
                        new TgiPlugin(name -> null, name -> name.equals("HF_TOKEN") ? TOKEN : null), config)
                .create(backend);
        service.start();

        // Assert
        assertThat(backend.attempts().get(0).command().orElseThrow()).containsSequence("--num-shard", "2");
        ContainerSpec started = backend.started().get(0);
        assertThat(started.gpus()).isEmpty();
        assertThat(started.command().orElseThrow()).doesNotContain("--num-shard");
        assertThat(started.printableEnv()).containsEntry("HF_TOKEN", "****");
        assertThat(started.toString()).doesNotContain(TOKEN);
        assertThat(String.join("\n", backend.logLines()))
                .doesNotContain(TOKEN)
                .contains("WARN GPU: auto (default): the Docker daemon cannot provide GPUs (");
    }

    // --- errors ---------------------------------------------------------------------------------

    @Test
    void missingModelIsReported() throws Exception {
        // Act
        List<String> problems = toml.problems("[services.app]\ntype = \"tgi\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:1:1: services.app.model: missing required key for type "
                        + "\"tgi\" (add model = \"...\")");
    }

    @Test
    void unknownQuantizeIsReportedWithTheAcceptedValues() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "quantize = \"int4\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.quantize: \"int4\" is not a TGI "
                        + "quantization (write one of awq, compressed-tensors, eetq, exl2, gptq, marlin, bitsandbytes, "
                        + "bitsandbytes-nf4, bitsandbytes-fp4, fp8)");
    }

    @Test
    void everyRangeAndChoiceProblemIsReportedAtOnce() throws Exception {
        // Act
        List<String> problems = toml.problems(
                HEAD + "gpus = -1\nnum_shard = 0\ndtype = \"float32\"\n"
                        + "max_input_tokens = 4096\nmax_total_tokens = 4096\nshm_size = \"0\"\nargs = [\"--hostname\", \"x\"]\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:4:1: services.app.gpus: -1 is outside 0..1024 (write a value in range, or remove the "
                                + "key for its default 1)",
                        "app.clnrm.toml:5:1: services.app.num_shard: must be at least 1, was 0 (write a value in range, or "
                                + "remove the key for its default GPU count when more than 1)",
                        "app.clnrm.toml:6:1: services.app.dtype: \"float32\" is not a TGI dtype (write one of float16, bfloat16)",
                        "app.clnrm.toml:7:1: services.app.max_input_tokens: max_input_tokens = 4096 must be less than "
                                + "max_total_tokens = 4096 (TGI refuses to start otherwise; lower max_input_tokens)",
                        "app.clnrm.toml:9:1: services.app.shm_size: \"0\" is not a size (write e.g. shm_size = \"1g\" (units b, k, m, g))",
                        "app.clnrm.toml:10:1: services.app.args: --hostname is always passed by the plugin (remove it from args)");
    }

    @Test
    void shardsBeyondTheRequestedGpusAreReported() throws Exception {
        // Act
        List<String> problems = toml.problems(HEAD + "num_shard = 2\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:4:1: services.app.num_shard: num_shard = 2 needs 2 GPUs, "
                        + "but the service requests 1 GPU (write gpus = 2, or lower num_shard)");
    }

    @Test
    void everyKeyDescriptionNamesItsUpstreamFlag() {
        assertThat(new TgiPlugin().keys())
                .allSatisfy(key -> assertThat(key.doc())
                        .as(key.path())
                        .containsAnyOf("--", "HF_TOKEN", "docker run", "/health", "launcher"));
    }
}
