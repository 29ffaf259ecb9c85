package dev.cleanroom.plugins.lifecycle;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.plugins.DockerCli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build that is interrupted (Ctrl-C) or killed outright: what it started must go, by its own
 * shutdown hook or by the next run's sweep. The "build" is a separate JVM running the engine.
 */
class SignalsIT {

    @TempDir
    Path dir;

    private final String project = "it-signals-" + UUID.randomUUID();
    private Process build;

    @AfterEach
    void cleanUp() throws Exception {
        if (build != null && build.isAlive()) {
            build.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(DockerCli.leftoversOf(project)).as("left behind").isEmpty();
    }

    private Path file(String slowStart) throws IOException {
        Path file = dir.resolve("signals.clnrm.toml");
        Files.writeString(file, """
                [services.one]
                type = "generic_container"
                image = "%s"

                [services.two]
                type = "generic_container"
                image = "%s"
                command = ["sh", "-c", "sleep %s; touch /tmp/ready; exec sleep infinity"]
                health.command = ["test", "-f", "/tmp/ready"]
                """.formatted(BUSYBOX, BUSYBOX, slowStart));
        return file;
    }

    private List<String> startBuild(Path file, String... more) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                StartAndWait.class.getName(),
                file.toString(),
                project));
        command.addAll(List.of(more));
        build = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(build.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return output;
    }

    private static void awaitLine(List<String> output, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            synchronized (output) {
                if (output.stream().anyMatch(l -> l.startsWith(prefix))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line starting with " + prefix + " in " + output);
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(build.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();
    }

    @Test
    void ctrlCAfterStartRemovesEverything() throws Exception {
        // Arrange
        List<String> output = startBuild(file("0"));
        awaitLine(output, "READY");
        assertThat(DockerCli.containersOf(project)).hasSize(2);

        // Act
        signal("INT");

        // Assert
        assertThat(build.waitFor(30, TimeUnit.SECONDS)).as("the build ended").isTrue();
        assertThat(String.join("\n", output)).contains("(the JVM is shutting down)");
        assertThat(DockerCli.leftoversOf(project)).isEmpty();
    }

    @Test
    void ctrlCDuringStartRemovesEverything() throws Exception {
        // Arrange: service two needs 3 s to become healthy
        List<String> output = startBuild(file("3"));
        awaitLine(output, "STARTING");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (DockerCli.containersOf(project).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        // Act
        signal("INT");

        // Assert
        assertThat(build.waitFor(30, TimeUnit.SECONDS)).as("the build ended").isTrue();
        assertThat(String.join("\n", output)).doesNotContain("READY");
        assertThat(DockerCli.leftoversOf(project)).isEmpty();
    }

    @Test
    void ctrlCDuringAStepRemovesEverything() throws Exception {
        // Arrange: a step that runs for 30 s
        Path file = file("0");
        Files.writeString(file, Files.readString(file) + """

                [[steps]]
                name = "long"
                service = "one"
                command = ["sleep", "30"]
                """);
        List<String> output = startBuild(file, "steps");
        awaitLine(output, "STEPS");
        Thread.sleep(500);

        // Act
        signal("INT");

        // Assert
        assertThat(build.waitFor(30, TimeUnit.SECONDS)).as("the build ended").isTrue();
        assertThat(String.join("\n", output)).contains("(the JVM is shutting down)");
        assertThat(DockerCli.leftoversOf(project)).isEmpty();
    }

    @Test
    void ctrlCDuringTheRemovalStillRemovesEverything() throws Exception {
        // Arrange: six services, so the removal takes a while
        Path file = dir.resolve("many.clnrm.toml");
        StringBuilder toml = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            toml.append("[services.s")
                    .append(i)
                    .append("]\ntype = \"generic_container\"\nimage = \"")
                    .append(BUSYBOX)
                    .append("\"\n");
        }
        Files.writeString(file, toml.toString());
        List<String> output = startBuild(file, "stop");
        awaitLine(output, "STOPPING");

        // Act: interrupted while it removes
        signal("INT");

        // Assert: the hook waits for the removal under way instead of racing it
        assertThat(build.waitFor(30, TimeUnit.SECONDS)).as("the build ended").isTrue();
        assertThat(DockerCli.leftoversOf(project)).isEmpty();
    }

    @Test
    void killMinus9LeavesContainersThatTheNextRunSweeps() throws Exception {
        // Arrange
        List<String> output = startBuild(file("0"));
        awaitLine(output, "READY");

        // Act
        signal("KILL");
        assertThat(build.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> leftBehind = DockerCli.leftoversOf(project);
        RecordingLog log = new RecordingLog();
        CleanroomEngine.builder()
                .project("it-sweeper-" + UUID.randomUUID())
                .log(log)
                .build()
                .removeProjectContainers();

        // Assert: a kill -9 cannot clean up; the next run (of any project, here another one) does
        assertThat(leftBehind).as("left behind by kill -9").hasSize(3);
        assertThat(DockerCli.leftoversOf(project)).isEmpty();
        assertThat(log.text())
                .containsPattern(
                        "Removed 2 container\\(s\\) and 1 network\\(s\\) left behind by a build that died \\(owner [^)]+/"
                                + build.pid() + "/\\d+/[^)/]+\\): clnrm-");
    }
}
