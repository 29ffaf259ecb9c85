package dev.cleanroom.plugins.tgi;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.plugins.TomlFixture;
import dev.cleanroom.plugins.modelserver.ModelServerFixture;
import dev.cleanroom.plugins.modelserver.RefusingBackend;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TGI server an earlier build left for reuse, against an in-process server that answers GET /info as TGI does. */
class TgiAdoptionTest {

    @TempDir
    Path dir;

    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/info", exchange -> {
            byte[] body = "{\"model_id\":\"HuggingFaceH4/zephyr-7b-beta\",\"max_total_tokens\":2048}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void anAdoptedServerExportsTheModelItReportsAsAfterAFreshStart() throws Exception {
        // Arrange
        Files.createDirectories(dir.resolve("cache"));
        RefusingBackend backend = new RefusingBackend();
        Service service = ModelServerFixture.define(
                        new TgiPlugin(),
                        new TomlFixture(dir)
                                .service("[services.app]\ntype = \"tgi\"\nmodel = \"HuggingFaceH4/zephyr-7b-beta\"\n"
                                        + "cache_dir = \"cache\"\ngpu = \"off\"\n"))
                .create(backend);
        int port = server.getAddress().getPort();
        service.adopt(new ContainerInfo("left", "clnrm-reuse-x-app", "127.0.0.1", Map.of(80, port)));

        // Act: what the engine calls on an adopted service after its health check, instead of afterReady
        service.reset();

        // Assert
        assertThat(service.handle().endpoints())
                .containsExactly(
                        Map.entry("url", "http://127.0.0.1:" + port),
                        Map.entry("model", "HuggingFaceH4/zephyr-7b-beta"));
        assertThat(backend.started()).as("containers created").isEmpty();
    }
}
