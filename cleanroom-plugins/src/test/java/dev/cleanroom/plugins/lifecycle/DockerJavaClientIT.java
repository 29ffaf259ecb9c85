package dev.cleanroom.plugins.lifecycle;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.plugins.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole lifecycle through docker-java's HTTP client, the path TLS daemons, named pipes and
 * docker contexts take: chosen here with -Dcleanroom.docker.client=docker-java on the local
 * socket, since CI has no TLS daemon.
 */
class DockerJavaClientIT {

    private static final String CLIENT = "cleanroom.docker.client";

    @TempDir
    Path dir;

    private final String project = "it-dj-" + UUID.randomUUID();
    // Connects at start or run, after chooseDockerJava has set the property.
    private final CleanroomEngine engine =
            CleanroomEngine.builder().project(project).build();
    private String previous;

    @BeforeEach
    void chooseDockerJava() {
        previous = System.getProperty(CLIENT);
        System.setProperty(CLIENT, "docker-java");
    }

    @AfterEach
    void nothingRemains() {
        if (previous == null) {
            System.clearProperty(CLIENT);
        } else {
            System.setProperty(CLIENT, previous);
        }
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    private Path write(String toml) throws Exception {
        Path file = dir.resolve("dj.clnrm.toml");
        Files.writeString(file, toml.replace("BUSYBOX", BUSYBOX));
        return file;
    }

    @Test
    void startsChecksRunsStepsWithTimeoutsAndRemovesThroughDockerJava() throws Exception {
        // Arrange
        Path file = write("""
                [services.web]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "mkdir -p /www && echo 'hello over docker-java' > /www/index.html && exec httpd -f -p 8080 -h /www"]
                ports = ["8080"]
                health.http = "/"

                [[steps]]
                name = "fetch"
                command = ["wget", "-q", "-O", "-", "http://127.0.0.1:8080/"]
                expected_output_regex = "^hello over docker-java$"

                [[steps]]
                name = "stderr_and_exit_code"
                command = ["sh", "-c", "echo oops >&2; exit 4"]
                expected_exit_code = 4

                [[steps]]
                name = "too_slow"
                command = ["sleep", "30"]
                timeout = "1s"
                continue_on_failure = true
                """);

        // Act
        RunReport report = engine.run(engine.load(file));

        // Assert
        assertThat(report.steps())
                .extracting(StepResult::name, StepResult::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("fetch", StepResult.Status.PASSED),
                        org.assertj.core.groups.Tuple.tuple("stderr_and_exit_code", StepResult.Status.PASSED),
                        org.assertj.core.groups.Tuple.tuple("too_slow", StepResult.Status.TOLERATED));
        assertThat(report.steps().get(1).stderr()).isEqualTo("oops\n");
        assertThat(report.steps().get(2).failure()).contains("timed out after 1.0 s");
    }

    @Test
    void aContainerThatExitsIsReportedWithItsLogsThroughDockerJava() throws Exception {
        // Arrange
        Path file = write("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "echo 'fatal: missing config' >&2; exit 3"]
                # Never printed: the start waits until it sees the exit (a check that could pass
                # before the process exits would make the test a race).
                health.log = "never printed"
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(engine.load(file)))
                .hasMessageContaining(
                        "Service app (generic_container, " + BUSYBOX + ") exited with code 3 while starting")
                .hasMessageContaining("    | fatal: missing config");
    }
}
