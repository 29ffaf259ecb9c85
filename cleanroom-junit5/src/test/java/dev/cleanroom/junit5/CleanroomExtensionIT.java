package dev.cleanroom.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension against Docker: a class it starts services for, run as Surefire or an IDE runs it,
 * and a class that finds the services a build left running. Needs cleanroom/busybox:fixture.
 */
class CleanroomExtensionIT {

    private static final Path FILE =
            Path.of("src/test/cleanroom/web.clnrm.toml").toAbsolutePath().normalize();

    @LaunchedOnly
    @Cleanroom("src/test/cleanroom/web.clnrm.toml")
    static class ReachesItsService {

        @Test
        void reachesTheServiceByTcpAndHttp(@CleanroomService("web") ServiceEndpoint web) throws Exception {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(web.host(), web.port(8080)), 5_000);
            }
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(web.url() + "/")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).isEqualTo("hello from web\n");
            assertThat(containersOf(FILE)).hasSize(1);
        }
    }

    @Test
    void startsTheFilesServicesForTheClassAndRemovesThemAfterIt() throws Exception {
        // Arrange: nothing exported, no properties file (this module's target/cleanroom has none)
        assertThat(containersOf(FILE)).isEmpty();

        // Act
        TestExecutionSummary summary = Launch.run(ReachesItsService.class);

        // Assert: the test reached the service; after the class no container of the file remains
        assertThat(Launch.failureMessages(summary)).isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(containersOf(FILE)).isEmpty();
    }

    @LaunchedOnly
    @Cleanroom("src/test/cleanroom/web.clnrm.toml")
    static class UsesAKeptRun {

        @Test
        void getsTheKeptRunsAddress(@CleanroomService("web") ServiceEndpoint web) {
            assertThat(web.port()).isEqualTo(Integer.getInteger("expected.web.port"));
        }
    }

    @Test
    void usesServicesABuildLeftRunningAndNeverRemovesThem(@TempDir Path target) throws Exception {
        // Arrange: what cleanroom:start -Dcleanroom.keepRunning=true leaves: services up, their
        // properties file, and the run of each file next to it
        try (CleanroomEngine engine =
                CleanroomEngine.builder().project("cleanroom-junit5-it").build()) {
            Environment kept = engine.start(engine.load(FILE));
            try {
                Path propertiesFile = target.resolve("cleanroom.properties");
                store(propertiesFile, kept.exportedProperties());
                store(
                        propertiesFile.resolveSibling(CleanroomExtension.RUNS_FILE_NAME),
                        java.util.Map.of(FILE.toRealPath().toString(), kept.runId()));
                System.setProperty(CleanroomExtension.PROPERTIES_FILE_PROPERTY, propertiesFile.toString());
                System.setProperty(
                        "expected.web.port", kept.exportedProperties().get("cleanroom.web.port"));

                // Act
                TestExecutionSummary summary = Launch.run(UsesAKeptRun.class);

                // Assert: it used the kept run's port, started nothing and left the run up
                assertThat(Launch.failureMessages(summary)).isEmpty();
                assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
                assertThat(containersOf(FILE)).hasSize(1);
                assertThat(engine.isRunUp(kept.runId())).isTrue();
            } finally {
                System.clearProperty(CleanroomExtension.PROPERTIES_FILE_PROPERTY);
                System.clearProperty("expected.web.port");
                kept.stop();
            }
        }
        assertThat(containersOf(FILE)).isEmpty();
    }

    @Test
    void withReuseTheServicesItStartsOutliveTheClassAndTheNextRunAdoptsThem() throws Exception {
        Path base = Path.of("").toAbsolutePath();
        System.setProperty("cleanroom.reuse", "true");
        try {
            // Act: the class twice, as two "Run test" clicks in an IDE
            TestExecutionSummary first = Launch.run(ReachesItsService.class);
            List<String> afterFirst = containersOf(FILE);
            TestExecutionSummary second = Launch.run(ReachesItsService.class);

            // Assert: both reached the service; it stayed up, and the second run adopted the same container
            assertThat(Launch.failureMessages(first)).isEmpty();
            assertThat(Launch.failureMessages(second)).isEmpty();
            assertThat(afterFirst).hasSize(1);
            assertThat(containersOf(FILE)).isEqualTo(afterFirst);
        } finally {
            System.clearProperty("cleanroom.reuse");
            try (CleanroomEngine engine = CleanroomEngine.builder()
                    .project(CleanroomExtension.project(base))
                    .build()) {
                engine.removeReusedServices(false);
            }
        }
        assertThat(containersOf(FILE)).isEmpty();
    }

    private static void store(Path file, java.util.Map<String, String> values) throws IOException {
        Properties properties = new Properties();
        properties.putAll(values);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, null);
        }
    }

    /**
     * Ids of the containers (running or not) of any run of {@code file}, by its label: the absolute
     * path, or (reused services, named the same in every checkout) its path from the project.
     */
    static List<String> containersOf(Path file) throws IOException, InterruptedException {
        List<String> ids = new java.util.ArrayList<>();
        Path relative = Path.of("").toAbsolutePath().relativize(file);
        for (Path label : List.of(file, relative)) {
            Process docker = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=dev.cleanroom.file=" + label)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(docker.waitFor()).as("docker ps: " + out).isZero();
            out.lines().filter(line -> !line.isBlank()).forEach(ids::add);
        }
        return ids;
    }
}
