package dev.cleanroom.plugins.lifecycle;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.plugins.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two builds on one daemon at once do not see, stop or sweep each other's containers. */
class IsolationIT {

    @TempDir
    Path dir;

    private final String first = "it-iso-a-" + UUID.randomUUID();
    private final String second = "it-iso-b-" + UUID.randomUUID();

    @AfterEach
    void nothingRemains() {
        assertThat(DockerCli.leftoversOf(first)).isEmpty();
        assertThat(DockerCli.leftoversOf(second)).isEmpty();
    }

    private Path file() throws Exception {
        Path file = dir.resolve("iso.clnrm.toml");
        Files.writeString(file, """
                [services.web]
                type = "generic_container"
                image = "%s"
                command = ["httpd", "-f", "-p", "8080"]
                ports = ["8080"]
                health.tcp = 8080
                """.formatted(BUSYBOX));
        return file;
    }

    @Test
    void concurrentRunsGetTheirOwnNetworksAndPortsAndStopOnlyTheirOwn() throws Exception {
        // Arrange
        CleanroomEngine a = CleanroomEngine.builder().project(first).build();
        CleanroomEngine b = CleanroomEngine.builder().project(second).build();
        Path file = file();

        try (Environment runA = a.start(a.load(file));
                Environment runB = b.start(b.load(file))) {
            // Assert: separate networks and host ports; both alive after the other started (and swept)
            assertThat(runA.runId()).isNotEqualTo(runB.runId());
            assertThat(runA.exportedProperties().get("cleanroom.web.port"))
                    .isNotEqualTo(runB.exportedProperties().get("cleanroom.web.port"));
            assertThat(DockerCli.containersOf(first)).hasSize(1);
            assertThat(DockerCli.containersOf(second)).hasSize(1);

            // Act: a separate `mvn cleanroom:stop` of the second project, while the first runs
            b.removeProjectContainers();

            // Assert
            assertThat(DockerCli.containersOf(second)).isEmpty();
            assertThat(DockerCli.containersOf(first)).hasSize(1);
            String running = DockerCli.run(
                    "inspect",
                    "-f",
                    "{{.State.Running}}",
                    runA.services().get(0).handle().containerId());
            assertThat(running).isEqualTo("true");
        }
    }
}
