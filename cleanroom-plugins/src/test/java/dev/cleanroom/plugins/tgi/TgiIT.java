package dev.cleanroom.plugins.tgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.plugins.DockerCli;
import dev.cleanroom.plugins.ReuseBuilds;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tgi} on the real Docker daemon, against the stand-in image's TGI API. */
class TgiIT {

    static final String STANDIN = "cleanroom/llm-standin:fixture";

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();
    private final RecordingLog log = new RecordingLog();
    private final CleanroomEngine engine =
            CleanroomEngine.builder().project(project).log(log).build();

    @AfterEach
    void nothingOfTheRunRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    @Test
    void modelTheHubDoesNotKnowFailsTheStartWithTheLaunchersErrorAndLeavesNothing() throws Exception {
        // Arrange: the stand-in answers ids under does-not-exist/ as TGI does when the Hub says 404
        Path file = dir.resolve("tgi.clnrm.toml");
        Files.writeString(file, """
                [services.tgi]
                type = "tgi"
                model = "does-not-exist/tiny-model"
                gpu = "off"
                image = "%s"
                cache_dir = "%s"
                """.formatted(STANDIN, dir.resolve("cache")));

        // Act
        Throwable thrown = catchThrowable(() -> engine.run(engine.load(file)));

        // Assert
        assertThat(thrown)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith("Service tgi (tgi, " + STANDIN + ") exited with code 1 while starting")
                .hasMessageContaining("Last log lines of tgi:")
                .hasMessageContaining("| huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error.")
                .hasMessageContaining("| Repository Not Found for url: "
                        + "https://huggingface.co/api/models/does-not-exist/tiny-model/revision/main.")
                .hasMessageContaining("| Error: DownloadError");
        assertThat(thrown.getMessage()).endsWith("were removed.");
        assertThat(DockerCli.containersOf(project)).isEmpty();
    }

    @Test
    void aSecondBuildWithReuseAdoptsTheServerAndExportsTheModelItReports() throws Exception {
        // Arrange
        Path file = dir.resolve("tgi.clnrm.toml");
        Files.writeString(file, """
                [services.tgi]
                type = "tgi"
                model = "HuggingFaceH4/zephyr-7b-beta"
                gpu = "off"
                image = "%s"
                cache_dir = "%s"
                """.formatted(STANDIN, dir.resolve("cache")));

        // Act + Assert: model is what the adopted server reports (the round trip checks it equals
        // the first build's export, which it asked of the server after its start)
        new ReuseBuilds(project, dir).roundTrip(file, "tgi", "tgi", environment -> {}, (reused, log) -> {
            Map<String, String> properties = reused.exportedProperties();
            String info = new String(URI.create(properties.get("cleanroom.tgi.url") + "/info")
                    .toURL()
                    .openStream()
                    .readAllBytes());
            assertThat(properties).containsEntry("cleanroom.tgi.model", "HuggingFaceH4/zephyr-7b-beta");
            assertThat(info).contains("HuggingFaceH4/zephyr-7b-beta");
        });
    }

    @Test
    void aServerThatLoadsForLongSaysSoInTheLogWhileTheStartWaits() throws Exception {
        // Arrange: the stand-in listens only after 12 s, like a server loading a model; the engine
        // reports progress every 10 s instead of waiting in silence
        Path file = dir.resolve("tgi.clnrm.toml");
        Files.writeString(file, """
                [services.tgi]
                type = "tgi"
                model = "HuggingFaceH4/zephyr-7b-beta"
                gpu = "off"
                image = "%s"
                cache_dir = "%s"
                env.STANDIN_STARTUP_DELAY = "12"
                """.formatted(STANDIN, dir.resolve("cache")));

        // Act
        try (Environment env = engine.start(engine.load(file))) {
            // Assert
            assertThat(env.service("tgi")).isPresent();
        }
        assertThat(log.lines())
                .filteredOn(line -> line.startsWith("INFO Still waiting for tgi after "))
                .singleElement()
                .asString()
                .containsPattern("after 1\\d\\.\\d s \\(last check: .+\\)$");
    }

    @Test
    void autoFallsBackToCpuAndServesGenerateWithTheRealCommandLine() throws Exception {
        // Arrange
        Path file = dir.resolve("tgi.clnrm.toml");
        Files.writeString(file, """
                [services.tgi]
                type = "tgi"
                model = "HuggingFaceH4/zephyr-7b-beta"
                quantize = "bitsandbytes-nf4"
                gpus = 2
                image = "%s"
                cache_dir = "%s"
                """.formatted(STANDIN, dir.resolve("cache")));

        // Act
        try (Environment environment = engine.start(engine.load(file))) {
            StartedService tgi = environment.service("tgi").orElseThrow();
            String url = tgi.handle().endpoints().get("url");
            HttpURLConnection post =
                    (HttpURLConnection) URI.create(url + "/generate").toURL().openConnection();
            post.setDoOutput(true);
            post.setRequestProperty("Content-Type", "application/json");
            post.getOutputStream().write("{\"inputs\":\"What is Deep Learning?\"}".getBytes(StandardCharsets.UTF_8));
            String answer = new String(post.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String id = tgi.handle().containerId();

            // Assert
            assertThat(answer).contains("\"generated_text\": \"stand-in completion for: What is Deep Learning?\"");
            assertThat(tgi.handle().endpoints()).containsEntry("model", "HuggingFaceH4/zephyr-7b-beta");
            assertThat(DockerCli.run("inspect", "-f", "{{json .Config.Cmd}}", id))
                    .isEqualTo("[\"--model-id\","
                            + "\"HuggingFaceH4/zephyr-7b-beta\",\"--quantize\",\"bitsandbytes-nf4\",\"--hostname\",\"0.0.0.0\","
                            + "\"--port\",\"80\"]");
            assertThat(DockerCli.run("inspect", "-f", "{{.HostConfig.ShmSize}}", id))
                    .isEqualTo(Long.toString(1L << 30));
            assertThat(DockerCli.run("inspect", "-f", "{{range .Mounts}}{{.Source}}:{{.Destination}}{{end}}", id))
                    .isEqualTo(dir.resolve("cache") + ":/data");
        }
        assertThat(log.lines())
                .anySatisfy(line -> assertThat(line)
                        .startsWith("WARN [tgi] GPU: auto (default): the " + "Docker daemon cannot provide GPUs (")
                        .contains("starting TGI on CPU instead"));
        assertThat(log.lines()).contains("INFO [tgi] TGI serves HuggingFaceH4/zephyr-7b-beta");
    }
}
