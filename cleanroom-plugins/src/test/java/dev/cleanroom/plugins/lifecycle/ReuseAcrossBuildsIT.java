package dev.cleanroom.plugins.lifecycle;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reuse across builds on a real daemon: each "build" is an engine of its own (as a second mvn
 * would be), sharing the daemon; two engines in one JVM play two builds at once.
 */
class ReuseAcrossBuildsIT {

    @TempDir
    Path dir;

    private final String project = "it-reuse-" + UUID.randomUUID();

    private static final String FILE = """
            [services.web]
            type = "generic_container"
            image = "BUSYBOX"
            command = ["sh", "-c", "sleep DELAY; mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 8080 -h /www"]
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

    @AfterEach
    void removeWhatIsKeptForReuse() throws Exception {
        build(new RecordingLog()).removeReusedServices(false);
        assertThat(DockerCli.leftoversOf(project)).as("left behind").isEmpty();
    }

    private CleanroomEngine build(RecordingLog log) {
        return new ReuseBuilds(project, dir).engine(log);
    }

    private LoadedFile load(CleanroomEngine engine, String mode, int delaySeconds) throws Exception {
        return load(engine, FILE.replace("MODE_VALUE", mode).replace("DELAY", String.valueOf(delaySeconds)));
    }

    private LoadedFile load(CleanroomEngine engine, String toml) throws Exception {
        Path file = dir.resolve("src/test/cleanroom/reuse.clnrm.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, toml.replace("BUSYBOX", BUSYBOX));
        return engine.load(file);
    }

    private String idOf(Environment environment, String service) {
        return environment.service(service).orElseThrow().handle().containerId();
    }

    /** How many times a build of this test's project created its reuse lock since {@code since} (epoch s). */
    private long locksTakenSince(long since) {
        String creates = DockerCli.run(
                "events",
                "--since",
                String.valueOf(since),
                "--until",
                String.valueOf(Instant.now().getEpochSecond() + 1),
                "--filter",
                "event=create",
                "--filter",
                "label=dev.cleanroom.lock",
                "--filter",
                "label=dev.cleanroom.project=" + project,
                "--format",
                "{{.Actor.Attributes.name}}");
        return creates.lines().filter(line -> line.startsWith("clnrm-lock-")).count();
    }

    /** A build's start on another thread, as a second mvn beside this one. */
    private static CompletableFuture<Environment> startInBackground(CleanroomEngine engine, LoadedFile file) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return engine.start(file);
            } catch (CleanroomException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aSecondBuildAdoptsTheSameContainersAndAChangedServiceIsReplacedAlone() throws Exception {
        long begin = Instant.now().getEpochSecond() - 1;
        // Arrange: the first build starts both and leaves them
        CleanroomEngine first = build(new RecordingLog());
        Environment started = first.start(load(first, "a", 0));
        String web = idOf(started, "web");
        String box = idOf(started, "box");
        assertThat(started.runSteps()).extracting(StepResult::status).containsExactly(StepResult.Status.PASSED);
        started.stop();
        assertThat(DockerCli.containersOf(project)).hasSize(2);

        // Act: a second build of the same file
        RecordingLog secondLog = new RecordingLog();
        CleanroomEngine second = build(secondLog);
        Environment reused = second.start(load(second, "a", 0));

        // Assert: the same containers, healthy, reachable by alias and from here
        assertThat(idOf(reused, "web")).isEqualTo(web);
        assertThat(idOf(reused, "box")).isEqualTo(box);
        assertThat(secondLog.text()).contains("Reused web (" + web.substring(0, 12) + ", generic_container");
        assertThat(reused.runSteps()).extracting(StepResult::status).containsExactly(StepResult.Status.PASSED);
        String url = reused.service("web").orElseThrow().handle().endpoints().get("url");
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).isEqualTo("up\n");
        assertThat(second.isRunUp(reused.runId())).isTrue();
        reused.stop();
        // Nothing to change: the second build adopted without taking the lock.
        assertThat(locksTakenSince(begin)).isEqualTo(1);

        // Act: box's env changes
        RecordingLog thirdLog = new RecordingLog();
        CleanroomEngine third = build(thirdLog);
        Environment changed = third.start(load(third, "b", 0));

        // Assert: only box is new
        assertThat(idOf(changed, "web")).isEqualTo(web);
        assertThat(idOf(changed, "box")).isNotEqualTo(box);
        assertThat(thirdLog.text())
                .contains("Replacing reused service box (" + box.substring(0, 12) + "): its " + "definition changed");
        assertThat(changed.runSteps()).extracting(StepResult::status).containsExactly(StepResult.Status.PASSED);
        changed.stop();
        assertThat(DockerCli.containersOf(project)).hasSize(2);
        // A replacement is made only under the lock.
        assertThat(locksTakenSince(begin)).isEqualTo(2);
    }

    @Test
    void aFailedStartRemovesWhatItStartedAndLeavesWhatItAdoptedForTheNextBuild() throws Exception {
        // Arrange: a first build leaves web and box
        CleanroomEngine first = build(new RecordingLog());
        Environment left = first.start(load(first, "a", 0));
        String web = idOf(left, "web");
        left.stop();
        // box's new command crashes; its log line never comes, so the start ends only by seeing the exit
        String broken = FILE.replace("MODE_VALUE", "a")
                .replace("DELAY", "0")
                .replace(
                        "command = [\"sleep\", \"infinity\"]",
                        "command = [\"sh\", \"-c\", \"exit 3\"]\nhealth.log = \"never printed\"");
        RecordingLog secondLog = new RecordingLog();
        CleanroomEngine second = build(secondLog);
        LoadedFile brokenFile = load(second, broken);

        // Act
        assertThatThrownBy(() -> second.start(brokenFile))
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("the reused service(s) web run on for the next build");

        // Assert: web runs on, on its network; the crashed box is gone
        assertThat(DockerCli.run("inspect", "-f", "{{.State.Running}}", web)).isEqualTo("true");
        assertThat(DockerCli.containersOf(project)).hasSize(1);
        assertThat(DockerCli.networksOf(project)).hasSize(1);

        // Act: the next build, with box fixed, adopts web
        RecordingLog thirdLog = new RecordingLog();
        CleanroomEngine third = build(thirdLog);
        Environment fixed = third.start(load(third, "a", 0));

        // Assert
        assertThat(idOf(fixed, "web")).isEqualTo(web);
        assertThat(thirdLog.text()).contains("Reused web (" + web.substring(0, 12));
        assertThat(fixed.runSteps()).extracting(StepResult::status).containsExactly(StepResult.Status.PASSED);
        fixed.stop();
    }

    @Test
    void twoBuildsAtOnceThatChangeNothingBothAdoptWithoutTheLock() throws Exception {
        long begin = Instant.now().getEpochSecond() - 1;
        // Arrange: a first build leaves both services
        CleanroomEngine first = build(new RecordingLog());
        Environment left = first.start(load(first, "a", 0));
        String web = idOf(left, "web");
        left.stop();
        RecordingLog oneLog = new RecordingLog();
        RecordingLog otherLog = new RecordingLog();
        CleanroomEngine one = build(oneLog);
        CleanroomEngine other = build(otherLog);
        LoadedFile oneFile = load(one, "a", 0);
        LoadedFile otherFile = load(other, "a", 0);

        // Act: two builds of the unchanged file at once (an IDE run beside mvn verify)
        CompletableFuture<Environment> oneStart = startInBackground(one, oneFile);
        Environment otherEnvironment = other.start(otherFile);
        Environment oneEnvironment = oneStart.join();

        // Assert: both adopted the same containers, neither took the lock nor waited
        assertThat(idOf(oneEnvironment, "web")).isEqualTo(web);
        assertThat(idOf(otherEnvironment, "web")).isEqualTo(web);
        assertThat(oneEnvironment.runSteps()).extracting(StepResult::status).containsExactly(StepResult.Status.PASSED);
        assertThat(otherEnvironment.runSteps())
                .extracting(StepResult::status)
                .containsExactly(StepResult.Status.PASSED);
        assertThat(oneLog.text() + otherLog.text()).doesNotContain("Waiting for build");
        oneEnvironment.stop();
        otherEnvironment.stop();
        assertThat(DockerCli.containersOf(project)).hasSize(2);
        assertThat(locksTakenSince(begin)).isEqualTo(1);
    }

    @Test
    void twoBuildsAtOnceStartEachServiceOnceAndTheSecondWaitsAndAdopts() throws Exception {
        // Arrange: web takes seconds to answer, so the first build holds the lock meanwhile
        CleanroomEngine first = build(new RecordingLog());
        LoadedFile firstFile = load(first, "a", 3);
        CompletableFuture<Environment> firstStart = startInBackground(first, firstFile);
        while (DockerCli.run(
                        "ps",
                        "-aq",
                        "--filter",
                        "label=dev.cleanroom.lock",
                        "--filter",
                        "label=dev.cleanroom.project=" + project)
                .isBlank()) {
            Thread.sleep(50);
        }

        // Act
        RecordingLog secondLog = new RecordingLog();
        CleanroomEngine second = build(secondLog);
        Environment secondEnvironment = second.start(load(second, "a", 3));
        Environment firstEnvironment = firstStart.join();

        // Assert
        assertThat(idOf(secondEnvironment, "web")).isEqualTo(idOf(firstEnvironment, "web"));
        assertThat(idOf(secondEnvironment, "box")).isEqualTo(idOf(firstEnvironment, "box"));
        assertThat(DockerCli.containersOf(project)).hasSize(2);
        assertThat(secondLog.text())
                .contains("Waiting for build ")
                .contains("; it is done, so this build adopts what it left running");
        assertThat(secondLog.lines())
                .filteredOn(l -> l.startsWith("INFO Reused "))
                .hasSize(2);
        firstEnvironment.stop();
        secondEnvironment.stop();
        assertThat(DockerCli.containersOf(project)).hasSize(2);
        List<String> locks = List.of(DockerCli.run(
                        "ps",
                        "-aq",
                        "--filter",
                        "label=dev.cleanroom.lock",
                        "--filter",
                        "label=dev.cleanroom.project=" + project)
                .split("\\s+"));
        assertThat(String.join("", locks)).isEmpty();
    }
}
