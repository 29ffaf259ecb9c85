package dev.cleanroom.plugins.engines;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cleanroom.plugins.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Podman as the engine: rootful {@code podman system service} on its own socket, found without
 * DOCKER_HOST, through a docker context and through ~/.testcontainers.properties. Each run is
 * a build in its own JVM (its HOME and DOCKER_CONFIG are the test's). Leftovers are asked of
 * Podman itself, and of the default daemon, which must not have been used.
 *
 * <p>Needs Podman: {@code scripts/podman-up.sh} starts it and {@code scripts/test.sh} runs this
 * class after the main build with {@code -Dcleanroom.it.podman=true}.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PodmanIT {

    static final String SOCKET = "unix:///run/podman/podman.sock";

    @TempDir
    Path dir;

    private final String project = "it-podman-" + UUID.randomUUID();
    private Path home;

    @BeforeEach
    void needsPodman() throws Exception {
        assumeTrue(
                Boolean.getBoolean("cleanroom.it.podman"),
                "needs Podman on " + SOCKET + ": run scripts/podman-up.sh, then -Dcleanroom.it.podman=true");
        home = Files.createDirectories(dir.resolve("home"));
    }

    @AfterEach
    void nothingRemainsOnEitherEngine() {
        if (!Boolean.getBoolean("cleanroom.it.podman")) {
            return;
        }
        List<String> onPodman = new ArrayList<>(
                lines(DockerCli.run("-H", SOCKET, "ps", "-aq", "--filter", "label=dev.cleanroom.project=" + project)));
        onPodman.addAll(lines(DockerCli.run(
                "-H", SOCKET, "network", "ls", "-q", "--filter", "label=dev.cleanroom.project=" + project)));
        assertThat(onPodman).as("containers and networks left behind in Podman").isEmpty();
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks on the default daemon")
                .isEmpty();
    }

    private static List<String> lines(String output) {
        return output.isBlank() ? List.of() : List.of(output.split("\n"));
    }

    /** A build that finds Podman through the docker context "podman" (docker context create podman --docker host=...). */
    private ChildBuild.Outcome runThroughDockerContext(Path file) throws Exception {
        Path config = DockerContextIT.dockerConfigWithContext(dir, "podman", SOCKET);
        return ChildBuild.run(file, project, dir, home, Map.of("DOCKER_CONFIG", config.toString()));
    }

    /** A build that finds Podman through docker.host in ~/.testcontainers.properties, and no docker context. */
    private ChildBuild.Outcome runThroughTestcontainersProperties(Path file) throws Exception {
        Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=" + SOCKET + "\n");
        Path emptyConfig = Files.createDirectories(dir.resolve("no-docker-config"));
        return ChildBuild.run(file, project, dir, home, Map.of("DOCKER_CONFIG", emptyConfig.toString()));
    }

    private Path write(String toml) throws Exception {
        Path file = dir.resolve("podman.clnrm.toml");
        Files.writeString(file, toml.replace("BUSYBOX", BUSYBOX));
        return file;
    }

    @Test
    void servicesStartBecomeHealthyAndRunStepsWithVolumesAndAliasesOnPodmanFoundThroughADockerContext()
            throws Exception {
        // Arrange: a page served from a bind mount, reached by alias from another service
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "served from the host\n");
        Path file = write("""
                [services.web]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["httpd", "-f", "-p", "8080", "-h", "/www"]
                volumes = ["./www:/www:ro"]
                ports = ["8080"]
                aliases = ["frontend"]
                health.http = "/"
                stop_timeout = "2s"

                [services.client]
                type = "generic_container"
                image = "BUSYBOX"
                depends_on = ["web"]

                [[steps]]
                name = "by_alias"
                service = "client"
                command = ["wget", "-q", "-O", "-", "http://frontend:8080/"]
                expected_output_regex = "^served from the host$"

                [[steps]]
                name = "read_only_volume"
                service = "web"
                command = ["touch", "/www/new"]
                expected_exit_code = 1
                """);

        // Act
        ChildBuild.Outcome outcome = runThroughDockerContext(file);

        // Assert
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains("DEBUG Docker daemon at " + SOCKET + " (docker context \"podman\"), API version ")
                .contains("STEP by_alias PASSED", "STEP read_only_volume PASSED");
    }

    @Test
    void aServiceThatCrashesFailsTheStartWithItsLogsOnPodmanFoundThroughTestcontainersProperties() throws Exception {
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

        // Act
        ChildBuild.Outcome outcome = runThroughTestcontainersProperties(file);

        // Assert
        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(2);
        assertThat(outcome.output())
                .contains("DEBUG Docker daemon at " + SOCKET
                        + " (~/.testcontainers.properties (docker.host)), API version ")
                .contains("Service app (generic_container, " + BUSYBOX + ") exited with code 3 while starting")
                .contains("    | fatal: missing config");
    }

    @Test
    void aFailingStepFailsTheRunWithItsExitCodeAndStderrOnPodman() throws Exception {
        // Arrange
        Path file = write("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"

                [[steps]]
                name = "broken"
                command = ["sh", "-c", "echo oops >&2; exit 4"]
                """);

        // Act
        ChildBuild.Outcome outcome = runThroughTestcontainersProperties(file);

        // Assert
        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output()).containsPattern("STEP broken FAILED .*exit(ed with)? code 4");
    }
}
