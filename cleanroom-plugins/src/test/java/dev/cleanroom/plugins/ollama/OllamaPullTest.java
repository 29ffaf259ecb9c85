package dev.cleanroom.plugins.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.plugins.TomlFixture;
import dev.cleanroom.plugins.modelserver.ModelServerFixture;
import dev.cleanroom.plugins.modelserver.RefusingBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pull after start, against an in-process HTTP server that answers as Ollama does, and the
 * progress lines it turns into.
 */
class OllamaPullTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private String url;
    private final List<String> tags = Collections.synchronizedList(new ArrayList<>());
    private final List<String> pullRequests = Collections.synchronizedList(new ArrayList<>());
    private volatile int pullStatus = 200;
    private volatile String pullBody = "";

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/tags", exchange -> {
            String models = String.join(
                    ",",
                    tags.stream()
                            .map(t -> "{\"name\":\"" + t + "\",\"size\":1}")
                            .toList());
            answer(exchange, 200, "{\"models\":[" + models + "]}");
        });
        server.createContext("/api/pull", exchange -> {
            pullRequests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (pullStatus == 200 && pullBody.contains("\"success\"")) {
                tags.add("llama2:latest");
            }
            answer(exchange, pullStatus, pullBody);
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private ServiceConfig config(String model) throws Exception {
        return new TomlFixture(dir)
                .service("[services.app]\ntype = \"ollama\"\nmodel = \"" + model + "\"\n"
                        + "cache_dir = \"cache\"\ngpu = \"off\"\n");
    }

    /** The service started on {@code backend}, its port published where the test's server listens, then ready. */
    private Service afterReady(String model, RefusingBackend backend) throws Exception {
        Service service = ModelServerFixture.define(new OllamaPlugin(), config(model))
                .create(backend.publishingFrom(server.getAddress().getPort()));
        service.start();
        backend.forgetLog();
        service.afterReady();
        return service;
    }

    private static String progress(String status, long total, long completed) {
        return "{\"status\":\"" + status + "\",\"digest\":\"sha256:x\",\"total\":" + total + ",\"completed\":"
                + completed + "}\n";
    }

    @Test
    void pullStreamsProgressAndTheServiceIsReadyWhenTheModelIsListed() throws Exception {
        // Arrange
        StringBuilder body = new StringBuilder("{\"status\":\"pulling manifest\"}\n");
        for (int i = 0; i <= 100; i++) {
            body.append(progress("pulling 8934d96d3f08", 3_826_793_677L, 3_826_793_677L * i / 100));
        }
        body.append(progress("pulling 8c17c2ebb0ea", 7020, 7020));
        body.append(
                "{\"status\":\"verifying sha256 digest\"}\n{\"status\":\"writing manifest\"}\n{\"status\":\"success\"}\n");
        pullBody = body.toString();
        RefusingBackend backend = new RefusingBackend();

        // Act
        Service service = afterReady("llama2", backend);

        // Assert
        assertThat(service.handle().endpoints()).containsExactly(Map.entry("url", url), Map.entry("model", "llama2"));
        assertThat(pullRequests).containsExactly("{\"model\":\"llama2\",\"stream\":true}");
        List<String> lines = backend.logLines();
        assertThat(lines.subList(0, lines.size() - 1))
                .containsExactly(
                        "INFO Pulling model llama2 (pull_timeout 30 min)",
                        "INFO Pulling model llama2: pulling manifest",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 0% (0 B of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 10% (420.9 MB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 20% (803.6 MB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 30% (1.2 GB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 40% (1.6 GB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 50% (2.0 GB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 60% (2.3 GB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 70% (2.7 GB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 80% (3.1 GB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 90% (3.5 GB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8934d96d3f08: 100% (3.8 GB of 3.8 GB)",
                        "INFO Pulling model llama2: pulling 8c17c2ebb0ea: 100% (7.0 kB of 7.0 kB)",
                        "INFO Pulling model llama2: verifying sha256 digest",
                        "INFO Pulling model llama2: writing manifest");
        assertThat(lines.get(lines.size() - 1)).matches("INFO Pulled model llama2 \\(3\\.8 GB\\) in .+");
    }

    @Test
    void aModelAlreadyInTheCacheIsNotPulledAgain() throws Exception {
        // Arrange
        tags.add("llama2:latest");
        RefusingBackend backend = new RefusingBackend();

        // Act
        afterReady("llama2", backend);

        // Assert
        assertThat(pullRequests).isEmpty();
        assertThat(backend.logLines())
                .containsExactly("INFO Model llama2 is already in "
                        + dir.resolve("cache").toAbsolutePath() + "; not pulling it");
    }

    @Test
    void anErrorLineFromOllamaFailsTheStartWithItsMessage() throws Exception {
        // Arrange: what Ollama streams for a model the registry does not have
        pullBody = "{\"status\":\"pulling manifest\"}\n{\"error\":\"pull model manifest: file does not exist\"}\n";

        // Act
        Throwable thrown = catchThrowable(() -> afterReady("nosuchmodel", new RefusingBackend()));

        // Assert
        assertThat(thrown)
                .isInstanceOf(CleanroomException.class)
                .hasMessage("Ollama could not pull model "
                        + "\"nosuchmodel\": pull model manifest: file does not exist. Perhaps you should check the model name "
                        + "(https://ollama.com/library lists them).");
    }

    @Test
    void anErrorStatusFromOllamaFailsTheStartWithItsMessage() throws Exception {
        // Arrange
        pullStatus = 500;
        pullBody = "{\"error\":\"pull model manifest: file does not exist\"}";

        // Act
        Throwable thrown = catchThrowable(() -> afterReady("nosuchmodel", new RefusingBackend()));

        // Assert
        assertThat(thrown)
                .hasMessage(
                        "Ollama could not pull model \"nosuchmodel\": pull model manifest: file does "
                                + "not exist (HTTP 500). Perhaps you should check the model name (https://ollama.com/library lists them).");
    }

    @Test
    void aPullThatSucceedsButLeavesTheModelUnlistedFails() throws Exception {
        // Arrange
        pullBody = "{\"status\":\"success\"}\n";
        tags.add("other:latest");
        server.removeContext("/api/pull");
        server.createContext("/api/pull", exchange -> answer(exchange, 200, pullBody));

        // Act
        Throwable thrown = catchThrowable(() -> afterReady("llama2", new RefusingBackend()));

        // Assert
        assertThat(thrown)
                .hasMessage("Ollama reported the pull of model \"llama2\" as successful, but GET /api/tags "
                        + "lists [other:latest] without llama2:latest");
    }

    @Test
    void aStreamThatEndsWithoutSuccessFails() throws Exception {
        // Arrange
        pullBody = "{\"status\":\"pulling manifest\"}\n";

        // Act
        Throwable thrown = catchThrowable(() -> afterReady("llama2", new RefusingBackend()));

        // Assert
        assertThat(thrown).hasMessage("Ollama ended the pull of model \"llama2\" without reporting success");
    }

    /** A server an earlier build left, adopted on {@code backend} as the engine does, then reset. */
    private Service adoptedAndReset(String model, RefusingBackend backend) throws Exception {
        Service service =
                ModelServerFixture.define(new OllamaPlugin(), config(model)).create(backend);
        java.nio.file.Files.createDirectories(dir.resolve("cache"));
        service.adopt(new dev.cleanroom.engine.spi.ContainerInfo(
                "left",
                "clnrm-reuse-x-app",
                "127.0.0.1",
                Map.of(11434, server.getAddress().getPort())));
        service.reset();
        return service;
    }

    @Test
    void anAdoptedServerThatStillListsItsModelIsHandedOutWithoutAPull() throws Exception {
        // Arrange
        tags.add("llama2:latest");
        RefusingBackend backend = new RefusingBackend();

        // Act
        Service service = adoptedAndReset("llama2", backend);

        // Assert
        assertThat(pullRequests).isEmpty();
        assertThat(backend.started()).as("containers created").isEmpty();
        assertThat(service.handle().endpoints()).containsExactly(Map.entry("url", url), Map.entry("model", "llama2"));
    }

    @Test
    void anAdoptedServerWhoseModelWasDeletedSincePullsItAgainBeforeItIsHandedOut() throws Exception {
        // Arrange: a test of the last build deleted the model (DELETE /api/delete)
        pullBody = "{\"status\":\"pulling manifest\"}\n{\"status\":\"success\"}\n";
        RefusingBackend backend = new RefusingBackend();

        // Act
        adoptedAndReset("llama2", backend);

        // Assert
        assertThat(pullRequests).containsExactly("{\"model\":\"llama2\",\"stream\":true}");
        assertThat(tags).containsExactly("llama2:latest");
    }

    @Test
    void progressOfABigLayerIsLoggedEveryTenPercentOrAfterFiveQuietSeconds() {
        // Arrange
        RecordingLog log = new RecordingLog();
        AtomicLong now = new AtomicLong();
        PullProgress progress = new PullProgress("m", log, now::get);
        long total = 1_000_000_000;

        // Act: 1 % every second for 25 s
        for (int percent = 0; percent <= 25; percent++) {
            now.set(percent * 1_000_000_000L);
            progress.accept("pulling abc", total, total * percent / 100);
        }

        // Assert
        assertThat(log.lines())
                .containsExactly(
                        "INFO Pulling model m: pulling abc: 0% (0 B of 1.0 GB)",
                        "INFO Pulling model m: pulling abc: 5% (50.0 MB of 1.0 GB)",
                        "INFO Pulling model m: pulling abc: 10% (100.0 MB of 1.0 GB)",
                        "INFO Pulling model m: pulling abc: 15% (150.0 MB of 1.0 GB)",
                        "INFO Pulling model m: pulling abc: 20% (200.0 MB of 1.0 GB)",
                        "INFO Pulling model m: pulling abc: 25% (250.0 MB of 1.0 GB)");
    }

    @Test
    void ollamaNamesWithoutATagMeanLatest() {
        assertThat(OllamaApi.fullName("llama2")).isEqualTo("llama2:latest");
        assertThat(OllamaApi.fullName("llama3.2:1b")).isEqualTo("llama3.2:1b");
        assertThat(OllamaApi.fullName("registry.local:5000/team/model"))
                .isEqualTo("registry.local:5000/team/model:latest");
    }
}
