package dev.cleanroom.plugins.engines;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.plugins.DockerCli;
import dev.cleanroom.plugins.ReuseBuilds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reuse across builds (issue #17) with Podman as the engine: each "build" is an engine of its own,
 * as a second {@code mvn verify -Dcleanroom.reuse=true} would be, all talking to Podman's rootful
 * service; two engines in one JVM play two builds at once. What the builds did is asked of Podman
 * itself (its containers, and its events for the reuse lock), not of the engine.
 *
 * <p>The engines find Podman through the DOCKER_HOST system property, which discovery reads when
 * the environment has no DOCKER_HOST: an engine in this JVM cannot be given another environment,
 * and a child JVM per build (as {@link PodmanIT} does) could not hand back its container ids.
 * Runs in the {@code podman} phase of {@code scripts/test.sh} ({@code -Dcleanroom.it.podman=true}),
 * where no test of the default daemon shares the JVM.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PodmanReuseIT {

    @TempDir
    Path dir;

    private final String project = "it-podman-reuse-" + UUID.randomUUID();
    private String dockerHostBefore;

    /**
     * web answers only once {@code ./gate/open} exists (a bind mount), so a test decides when the
     * build that starts it may finish, by what it observed rather than by a delay.
     */
    private static final String FILE = """
            [services.web]
            type = "generic_container"
            image = "BUSYBOX"
            command = ["sh", "-c", "while [ ! -e /gate/open ]; do sleep 0.1; done; mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 8080 -h /www"]
            volumes = ["./gate:/gate:ro"]
            ports = ["8080"]
            health.http = "/"
            health.start_timeout = "60s"

            [services.box]
            type = "generic_container"
            image = "BUSYBOX"
            command = ["sleep", "infinity"]
            env = { MODE = "MODE_VALUE" }
            depends_on = ["web"]

            [[steps]]
            name = "web_by_alias"
            service = "box"
            command = ["wget", "-q", "-O", "-", "http://web:8080/"]
            expected_output_regex = "^up$"
            """;

    @BeforeEach
    void enginesTalkToPodman() throws Exception {
        assumeTrue(
                Boolean.getBoolean("cleanroom.it.podman"),
                "needs Podman on " + PodmanIT.SOCKET + ": run scripts/podman-up.sh, then -Dcleanroom.it.podman=true");
        // The environment's DOCKER_HOST would win over the property and send the builds elsewhere.
        assertThat(System.getenv("DOCKER_HOST"))
                .as("DOCKER_HOST in the test's environment (unset it: the builds must reach Podman)")
                .isNull();
        dockerHostBefore = System.getProperty("DOCKER_HOST");
        System.setProperty("DOCKER_HOST", PodmanIT.SOCKET);
        Files.createDirectories(dir.resolve("src/test/cleanroom/gate"));
    }

    @AfterEach
    void cleanLeavesNothingInPodman() throws Exception {
        if (!Boolean.getBoolean("cleanroom.it.podman")) {
            return;
        }
        try {
            // What cleanroom:clean does for one project.
            build(new RecordingLog()).removeReusedServices(false);
            assertThat(onPodman("ps", "-aq", "--filter", "label=dev.cleanroom.project=" + project))
                    .as("containers (services and lock) left behind in Podman")
                    .isEmpty();
            assertThat(onPodman("network", "ls", "-q", "--filter", "label=dev.cleanroom.project=" + project))
                    .as("networks left behind in Podman")
                    .isEmpty();
            assertThat(DockerCli.leftoversOf(project))
                    .as("containers and networks on the default daemon, which must not have been used")
                    .isEmpty();
        } finally {
            if (dockerHostBefore == null) {
                System.clearProperty("DOCKER_HOST");
            } else {
                System.setProperty("DOCKER_HOST", dockerHostBefore);
            }
        }
    }

    private CleanroomEngine build(RecordingLog log) {
        return new ReuseBuilds(project, dir).engine(log);
    }

    private LoadedFile load(CleanroomEngine engine, String mode) throws Exception {
        Path file = dir.resolve("src/test/cleanroom/reuse.clnrm.toml");
        Files.writeString(file, FILE.replace("BUSYBOX", BUSYBOX).replace("MODE_VALUE", mode));
        return engine.load(file);
    }

    private void openGate() throws Exception {
        Files.writeString(dir.resolve("src/test/cleanroom/gate/open"), "");
    }

    private static List<String> onPodman(String... args) {
        List<String> command = new ArrayList<>(List.of("-H", PodmanIT.SOCKET));
        command.addAll(List.of(args));
        String output = DockerCli.run(command.toArray(String[]::new));
        return output.isBlank() ? List.of() : List.of(output.split("\n"));
    }

    /** Full ids of the project's containers in Podman, the lock included when held. */
    private List<String> containersInPodman() {
        return onPodman("ps", "-aq", "--no-trunc", "--filter", "label=dev.cleanroom.project=" + project);
    }

    private List<String> locksInPodman() {
        return onPodman(
                "ps",
                "-aq",
                "--filter",
                "label=dev.cleanroom.lock",
                "--filter",
                "label=dev.cleanroom.project=" + project);
    }

    private String idOf(Environment environment, String service) {
        return environment.service(service).orElseThrow().handle().containerId();
    }

    /**
     * The names of the containers Podman created for this project since {@code since} (epoch
     * seconds), in order, from Podman's own event log. Read with the podman CLI and
     * {@code --stream=false}: Podman 4.3's Docker-API events answer nothing at all once
     * {@code until} is in the past, which a loaded machine reaches before the answer.
     */
    private List<String> createdSince(long since) throws Exception {
        Process podman = new ProcessBuilder(
                        "podman",
                        "events",
                        "--stream=false",
                        "--since",
                        String.valueOf(since),
                        "--filter",
                        "event=create",
                        "--filter",
                        "label=dev.cleanroom.project=" + project,
                        "--format",
                        "{{.Name}}")
                .redirectErrorStream(true)
                .start();
        String output = new String(podman.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(podman.waitFor(60, TimeUnit.SECONDS))
                .as("podman events ended")
                .isTrue();
        assertThat(podman.exitValue()).as("podman events: " + output).isZero();
        return output.isBlank() ? List.of() : List.of(output.strip().split("\n"));
    }

    private long locksCreatedSince(long since) throws Exception {
        return createdSince(since).stream()
                .filter(name -> name.startsWith("clnrm-lock-"))
                .count();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static CompletableFuture<Environment> startAsync(CleanroomEngine engine, LoadedFile file) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return engine.start(file);
            } catch (CleanroomException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aSecondBuildAdoptsTheSameContainersWithoutTheLockAndAChangedServiceIsReplacedAloneUnderIt() throws Exception {
        long begin = Instant.now().getEpochSecond() - 1;
        openGate();
        // Arrange: the first build starts both and leaves them
        RecordingLog firstLog = new RecordingLog();
        CleanroomEngine first = build(firstLog);
        Environment started = first.start(load(first, "a"));
        String web = idOf(started, "web");
        String box = idOf(started, "box");
        assertThat(started.runSteps()).extracting(StepResult::status).containsExactly(StepResult.Status.PASSED);
        started.stop();
        assertThat(firstLog.text())
                .as("the build's engine is Podman")
                .contains("Docker daemon: using " + PodmanIT.SOCKET + " (DOCKER_HOST)");
        assertThat(containersInPodman()).containsExactlyInAnyOrder(web, box);
        List<String> createdByFirst = createdSince(begin);
        assertThat(createdByFirst).as("what the cold build created").hasSize(3);
        assertThat(locksCreatedSince(begin))
                .as("lock creates of the cold build")
                .isEqualTo(1);

        // Act: a second build of the same file
        RecordingLog secondLog = new RecordingLog();
        CleanroomEngine second = build(secondLog);
        Environment reused = second.start(load(second, "a"));

        // Assert: the same containers, healthy, reachable by alias and from here, and no lock taken
        assertThat(idOf(reused, "web")).isEqualTo(web);
        assertThat(idOf(reused, "box")).isEqualTo(box);
        assertThat(secondLog.text())
                .contains("Reused web (" + web.substring(0, 12) + ", generic_container")
                .contains("Reused box (" + box.substring(0, 12) + ", generic_container");
        assertThat(reused.runSteps()).extracting(StepResult::status).containsExactly(StepResult.Status.PASSED);
        String url = reused.service("web").orElseThrow().handle().endpoints().get("url");
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).isEqualTo("up\n");
        reused.stop();
        assertThat(containersInPodman()).containsExactlyInAnyOrder(web, box);
        assertThat(createdSince(begin))
                .as("what was created by the end of the adopting build: nothing new, no lock either")
                .isEqualTo(createdByFirst);

        // Act: box's env changes
        RecordingLog thirdLog = new RecordingLog();
        CleanroomEngine third = build(thirdLog);
        Environment changed = third.start(load(third, "b"));

        // Assert: only box is new, and it was replaced under the lock
        assertThat(idOf(changed, "web")).isEqualTo(web);
        String newBox = idOf(changed, "box");
        assertThat(newBox).isNotEqualTo(box);
        assertThat(thirdLog.text())
                .contains("Replacing reused service box (" + box.substring(0, 12)
                        + "): its definition changed (settings, image or file)");
        assertThat(changed.runSteps()).extracting(StepResult::status).containsExactly(StepResult.Status.PASSED);
        changed.stop();
        assertThat(containersInPodman()).containsExactlyInAnyOrder(web, newBox);
        assertThat(locksCreatedSince(begin))
                .as("lock creates after the replacing build")
                .isEqualTo(2);
    }

    @Test
    void twoBuildsAtOnceStartEachServiceOnceAndTheSecondWaitsForTheLockAndAdopts() throws Exception {
        long begin = Instant.now().getEpochSecond() - 1;
        // Arrange: the first build holds the lock until web answers, which it does only once the gate opens
        CleanroomEngine first = build(new RecordingLog());
        CompletableFuture<Environment> firstStart = startAsync(first, load(first, "a"));
        await(
                "the first build holds the reuse lock in Podman",
                () -> !locksInPodman().isEmpty());

        // Act: the second build starts while the lock is held; the gate opens once it says it waits
        RecordingLog secondLog = new RecordingLog();
        CleanroomEngine second = build(secondLog);
        CompletableFuture<Environment> secondStart = startAsync(second, load(second, "a"));
        await(
                "the second build says it waits for the first",
                () -> secondLog.text().contains("Waiting for build ") || secondStart.isDone());
        openGate();
        Environment firstEnvironment = firstStart.join();
        Environment secondEnvironment = secondStart.join();

        // Assert: the second waited for the lock (Podman refused its create of the lock's name), then adopted
        assertThat(secondLog.text())
                .contains("Waiting for build ")
                .contains("; it is done, so this build adopts what it left running");
        assertThat(idOf(secondEnvironment, "web")).isEqualTo(idOf(firstEnvironment, "web"));
        assertThat(idOf(secondEnvironment, "box")).isEqualTo(idOf(firstEnvironment, "box"));
        assertThat(secondLog.lines())
                .filteredOn(l -> l.startsWith("INFO Reused "))
                .hasSize(2);
        firstEnvironment.stop();
        secondEnvironment.stop();
        assertThat(createdSince(begin))
                .as("services created, in Podman's event log")
                .filteredOn(name -> !name.startsWith("clnrm-lock-"))
                .hasSize(2);
        assertThat(containersInPodman())
                .as("each service created once, and no lock left")
                .containsExactlyInAnyOrder(idOf(firstEnvironment, "web"), idOf(firstEnvironment, "box"));
        assertThat(locksCreatedSince(begin))
                .as("the two builds took the lock in turn")
                .isEqualTo(2);
    }
}
