package dev.cleanroom.plugins.lifecycle;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.plugins.DockerCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker daemon is stopped (SIGTERM to dockerd, as {@code systemctl stop docker} does) in the
 * middle of a run, on the real daemon of this machine, and started again with
 * {@code scripts/docker-up.sh}.
 *
 * <p>Stopping the daemon disturbs everything else using it, so this runs only when asked:
 * {@code -Dcleanroom.it.restartDaemon=true}, which {@code scripts/test.sh} (README's test
 * command, and CI) passes. Failsafe runs the test classes one after the other, so no other test
 * of this build is using the daemon meanwhile.
 */
class DaemonRestartIT {

    private static final Path DOCKER_UP =
            Path.of("..", "scripts", "docker-up.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final String project = "it-daemon-" + UUID.randomUUID();
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void onlyWhenAllowedToRestartTheDaemon() {
        assumeTrue(
                Boolean.getBoolean("cleanroom.it.restartDaemon"),
                "stops and restarts the Docker daemon: run with -Dcleanroom.it.restartDaemon=true (scripts/test.sh does)");
    }

    @AfterEach
    void daemonIsBackAndNothingRemains() throws Exception {
        startDaemon();
        assertThat(DockerCli.leftoversOf(project)).isEmpty();
    }

    private Path file() throws IOException {
        Path file = dir.resolve("daemon.clnrm.toml");
        // The shell leaves at once on SIGTERM, so the daemon's own shutdown does not wait 10 s for it.
        Files.writeString(file, """
                [services.web]
                type = "generic_container"
                image = "%s"
                command = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done"]

                [services.worker]
                type = "generic_container"
                image = "%s"
                command = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done"]

                [[steps]]
                name = "alive"
                service = "web"
                command = ["true"]
                """.formatted(BUSYBOX, BUSYBOX));
        return file;
    }

    @Test
    void daemonRestartedDuringTheStepsFailsTheStepAndTheRunIsStillRemoved() throws Exception {
        // Arrange
        CleanroomEngine engine = CleanroomEngine.builder()
                .project(project)
                .log(log)
                .daemonWait(Duration.ofSeconds(90))
                .build();
        Environment environment = engine.start(engine.load(file()));

        // Act: the daemon stops; the step fails; the daemon comes back while the removal waits for it
        stopDaemon();
        List<StepResult> steps = environment.runSteps();
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
            sleep(Duration.ofSeconds(2));
            startDaemon();
        });
        environment.stop();
        restart.join();

        // Assert
        assertThat(steps).singleElement().satisfies(step -> {
            assertThat(step.status()).isEqualTo(StepResult.Status.FAILED);
            assertThat(step.failure()).contains("web");
        });
        assertThat(log.text())
                .contains("The Docker daemon stopped answering while run")
                .contains("The Docker daemon answers again after")
                .doesNotContain("removal(s) failed");
        assertThat(DockerCli.leftoversOf(project)).isEmpty();
    }

    @Test
    void daemonAwayLongerThanTheWaitLeavesTheRunToTheNextSweepOfThisJvm() throws Exception {
        // Arrange
        CleanroomEngine engine = CleanroomEngine.builder()
                .project(project)
                .log(log)
                .daemonWait(Duration.ofSeconds(1))
                .build();
        Environment environment = engine.start(engine.load(file()));
        String runId = environment.runId();

        // Act: the removal gives up while the daemon is away; once it is back, the next start sweeps
        stopDaemon();
        environment.stop();
        startDaemon();
        List<String> leftAfterGivingUp = DockerCli.leftoversOf(project);
        CleanroomEngine next =
                CleanroomEngine.builder().project(project + "-next").log(log).build();
        Path other = dir.resolve("next.clnrm.toml");
        Files.writeString(
                other,
                "[services.one]\ntype = \"generic_container\"\nimage = \"" + BUSYBOX
                        + "\"\ncommand = [\"sleep\", \"60\"]\n");
        try (Environment ignored = next.start(next.load(other))) {
            // Assert
            assertThat(leftAfterGivingUp)
                    .as("two containers and the network, left while the daemon was away")
                    .hasSize(3);
            assertThat(log.text())
                    .contains("the Docker daemon did not answer for 1.0 s")
                    .contains("label dev.cleanroom.run=" + runId + ") are left behind")
                    .contains("Removed 2 container(s) and 1 network(s) left behind");
            assertThat(DockerCli.leftoversOf(project)).isEmpty();
        }
        assertThat(DockerCli.leftoversOf(project + "-next")).isEmpty();
    }

    private static void stopDaemon() throws Exception {
        Process kill = new ProcessBuilder("pkill", "-TERM", "-x", "dockerd")
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).as("pkill dockerd").isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (new ProcessBuilder("pgrep", "-x", "dockerd").start().waitFor() == 0) {
            assertThat(System.nanoTime())
                    .as("dockerd exits within 60 s of SIGTERM")
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static void startDaemon() {
        try {
            Process up = new ProcessBuilder(DOCKER_UP.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(up.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!up.waitFor(90, TimeUnit.SECONDS) || up.exitValue() != 0) {
                throw new IllegalStateException(DOCKER_UP + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
