package dev.cleanroom.plugins.generic;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.api.StepResult.Status;
import dev.cleanroom.plugins.DockerCli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generic_container on a real Docker daemon, with the fixture image. */
class GenericContainerIT {

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();
    private final CleanroomEngine engine =
            CleanroomEngine.builder().project(project).build();

    @AfterEach
    void nothingOfTheRunRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    private Path write(String toml) throws IOException {
        Path file = dir.resolve("test.clnrm.toml");
        Files.writeString(file, toml.replace("BUSYBOX", BUSYBOX));
        return file;
    }

    private RunReport run(String toml) throws Exception {
        return engine.run(engine.load(write(toml)));
    }

    @Test
    void seedTestGenericContainerExampleRunsAsWritten() throws Exception {
        // Act
        RunReport report = run("""
                [services.test]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "sleep infinity"]

                [[steps]]
                name = "ping_service"
                service = "test"
                command = ["echo", "hello from container"]
                expected_output_regex = "hello from container"
                """);

        // Assert
        assertThat(report.passed()).isTrue();
        assertThat(report.steps()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.PASSED);
            assertThat(s.stdout()).isEqualTo("hello from container\n");
        });
    }

    @Test
    void serviceReachesAnotherByNameOverTheRunsNetwork() throws Exception {
        // Act
        RunReport report = run("""
                [services.web]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "mkdir -p /www && echo served-by-web > /www/index.html && exec httpd -f -p 8080 -h /www"]
                ports = ["8080"]
                health.http = "/"

                [services.client]
                type = "generic_container"
                image = "BUSYBOX"
                depends_on = ["web"]

                [[steps]]
                name = "fetch_by_name"
                service = "client"
                command = ["wget", "-q", "-O", "-", "http://web:8080/"]
                expected_output_regex = "^served-by-web$"
                """);

        // Assert
        assertThat(report.passed()).as(report.steps().toString()).isTrue();
        assertThat(report.services()).extracting(StartedService::name).containsExactly("web", "client");
    }

    @Test
    void publishedPortIsOnLoopbackAndReachableFromTheTestJvm() throws Exception {
        // Arrange
        Path file = write("""
                [services.web]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "mkdir -p /www && echo hi-jvm > /www/index.html && exec httpd -f -p 8080 -h /www"]
                ports = ["8080"]
                health.http = "/index.html"
                env.MY_VAR = "value"
                """);

        // Act
        try (Environment environment = engine.start(engine.load(file))) {
            StartedService web = environment.service("web").orElseThrow();
            String url = web.handle().endpoints().get("url");
            String body = new String(
                    URI.create(url + "/index.html").toURL().openStream().readAllBytes());
            String bindings = DockerCli.run(
                    "inspect",
                    "-f",
                    "{{json .HostConfig.PortBindings}}",
                    web.handle().containerId());
            String env = DockerCli.run(
                    "inspect", "-f", "{{json .Config.Env}}", web.handle().containerId());

            // Assert
            assertThat(url).startsWith("http://127.0.0.1:");
            assertThat(body).isEqualTo("hi-jvm\n");
            assertThat(bindings).contains("\"HostIp\":\"127.0.0.1\"");
            assertThat(env).contains("MY_VAR=value");
            assertThat(DockerCli.run(
                            "inspect",
                            "-f",
                            "{{.HostConfig.Privileged}}",
                            web.handle().containerId()))
                    .isEqualTo("false");
        }
    }

    @Test
    void portBoundToIpv6LoopbackIsExportedWithThatAddressAndABracketedUrl() throws Exception {
        // Arrange
        Path file = write("""
                [services.web]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "mkdir -p /www && echo hi-v6 > /www/index.html && exec httpd -f -p 8080 -h /www"]
                ports = ["[::1]:8080"]
                health.http = "/index.html"
                health.start_timeout = "10s"
                """);

        // Act
        try (Environment environment = engine.start(engine.load(file))) {
            Map<String, String> exported = environment.exportedProperties();
            String url = exported.get("cleanroom.web.url");
            String body = new String(
                    URI.create(url + "/index.html").toURL().openStream().readAllBytes());

            // Assert
            assertThat(exported).containsEntry("cleanroom.web.host", "::1");
            assertThat(url).isEqualTo("http://[::1]:" + exported.get("cleanroom.web.port"));
            assertThat(body).isEqualTo("hi-v6\n");
        }
    }

    @Test
    void everyKindOfHealthCheckWaitsForReadiness() throws Exception {
        // Act: each service becomes ready only after a delay, through a different check
        RunReport report = run("""
                [services.by_tcp]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "sleep 1; exec httpd -f -p 9000"]
                health.tcp = 9000

                [services.by_command]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep infinity"]
                health.command = ["test", "-f", "/tmp/ready"]

                [services.by_log]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "sleep 1; echo 'server started'; exec sleep infinity"]
                health.log = "server started"

                [[steps]]
                name = "ready_file_exists"
                service = "by_command"
                command = ["test", "-f", "/tmp/ready"]
                """);

        // Assert
        assertThat(report.passed()).isTrue();
        assertThat(report.services())
                .allSatisfy(s -> assertThat(s.startDuration().toMillis()).isGreaterThanOrEqualTo(900));
    }

    @Test
    void volumeIsMountedFromAPathRelativeToTheFile() throws Exception {
        // Arrange
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/greeting.txt"), "from the host");

        // Act
        RunReport report = run("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                volumes = ["./data:/data:ro"]

                [[steps]]
                name = "read"
                command = ["cat", "/data/greeting.txt"]
                expected_output_regex = "^from the host$"

                [[steps]]
                name = "read_only"
                command = ["touch", "/data/new"]
                expected_exit_code = 1
                """);

        // Assert
        assertThat(report.passed()).as(report.steps().toString()).isTrue();
    }

    @Test
    void stepTimeoutKillsTheCommandInsideTheContainer() throws Exception {
        // Act
        RunReport report = run("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"

                [[steps]]
                name = "too_slow"
                command = ["sleep", "30"]
                timeout = "1s"
                continue_on_failure = true

                [[steps]]
                name = "no_sleep_left"
                command = ["sh", "-c", "ps -o pid,args | grep -v grep | grep 'sleep 30' && exit 1 || exit 0"]
                """);

        // Assert
        assertThat(report.steps()).extracting(StepResult::status).containsExactly(Status.TOLERATED, Status.PASSED);
        assertThat(report.steps().get(0).failure()).startsWith("Step \"too_slow\" failed: timed out after 1.0 s");
        assertThat(report.steps().get(0).duration().toMillis()).isLessThan(10_000);
    }

    @Test
    void failingStepIsReportedAndNothingRemains() throws Exception {
        // Act
        RunReport report = run("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"

                [[steps]]
                name = "greet"
                command = ["echo", "hullo"]
                expected_output_regex = "hello"
                """);

        // Assert
        assertThat(report.passed()).isFalse();
        assertThat(report.failures())
                .singleElement()
                .satisfies(f -> assertThat(f.failure())
                        .startsWith("Step \"greet\" failed: its output does not match expected_output_regex /hello/.")
                        .contains("    | hullo"));
    }

    @Test
    void missingImageFailsWithAClearMessageAndNothingRemains() throws Exception {
        // Arrange
        Path file = write("""
                [services.app]
                type = "generic_container"
                image = "cleanroom/does-not-exist:nope"
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(engine.load(file)))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("Service app (generic_container, cleanroom/does-not-exist:nope) could not start: "
                        + "Image \"cleanroom/does-not-exist:nope\" is not present locally and could not be pulled")
                .hasMessageContaining("Perhaps you should check the name and tag");
    }

    @Test
    void containerThatExitsAtStartShowsExitCodeAndLogs() throws Exception {
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

    @Test
    void anImageWhoseCommandIsAShellStaysUpForItsSteps() throws Exception {
        // Arrange: the alpine stand-in's default command is /bin/sh, which ends with its stdin
        String toml = """
                [services.test]
                type = "generic_container"
                image = "cleanroom/alpine-standin:fixture"

                [[steps]]
                name = "echo"
                command = ["echo", "hello"]
                expected_output_regex = "^hello$"
                """;

        // Act
        RunReport report = run(toml);

        // Assert
        assertThat(report.steps())
                .singleElement()
                .satisfies(
                        s -> assertThat(s.status()).as(s.stdout() + s.stderr()).isEqualTo(StepResult.Status.PASSED));
    }

    @Test
    void withStdinClosedAShellImageEndsAtOnceAndTheStartSaysSo() throws Exception {
        // Arrange
        Path file = write("""
                [services.test]
                type = "generic_container"
                image = "cleanroom/alpine-standin:fixture"
                stdin_open = false
                health.command = ["true"]
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(engine.load(file)))
                .hasMessageContaining("Service test (generic_container, cleanroom/alpine-standin:fixture) exited with "
                        + "code 0 while starting");
    }

    @Test
    void removalKillsAtOnceAContainerWhosePid1IgnoresSigterm() throws Exception {
        // Arrange: sh as PID 1 ignores SIGTERM; a graceful stop would wait Docker's 10 s for nothing
        Path file = write("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
                """);
        String since = daemonNow();
        String id;

        // Act
        try (Environment env = engine.start(engine.load(file))) {
            id = env.service("app").orElseThrow().handle().containerId();
        }
        String until = daemonNow();
        String signals = DockerCli.run(
                "events",
                "--since",
                since,
                "--until",
                until,
                "--filter",
                "container=" + id,
                "--filter",
                "event=kill",
                "--format",
                "{{index .Actor.Attributes \"signal\"}}");

        // Assert: one SIGKILL, never a SIGTERM to wait on
        assertThat(signals.lines().toList()).containsExactly("9");
    }

    @Test
    void aliasesAFixedHostPortAndAGracefulStopWorkOnTheDaemon() throws Exception {
        // Arrange: a free host port to fix; httpd as PID 1 ends on SIGTERM, so stop_timeout is honoured
        int hostPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            hostPort = free.getLocalPort();
        }
        Path file = write("""
                [services.web]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "mkdir -p /www && echo fixed > /www/index.html && exec httpd -f -p 8080 -h /www"]
                ports = ["%d:8080"]
                aliases = ["www", "frontend"]
                stop_timeout = "5s"
                health.http = "/"

                [services.client]
                type = "generic_container"
                image = "BUSYBOX"
                depends_on = ["web"]

                [[steps]]
                name = "by_first_alias"
                service = "client"
                command = ["wget", "-q", "-O", "-", "http://www:8080/"]
                expected_output_regex = "^fixed$"

                [[steps]]
                name = "by_second_alias"
                service = "client"
                command = ["wget", "-q", "-O", "-", "http://frontend:8080/"]
                expected_output_regex = "^fixed$"
                """.formatted(hostPort));
        String since = daemonNow();
        String id;
        List<StepResult> steps;

        // Act
        try (Environment env = engine.start(engine.load(file))) {
            id = env.service("web").orElseThrow().handle().containerId();
            steps = env.runSteps();
            String page = new String(URI.create("http://127.0.0.1:" + hostPort + "/")
                    .toURL()
                    .openStream()
                    .readAllBytes());
            assertThat(page).isEqualTo("fixed\n");
            assertThat(env.exportedProperties()).containsEntry("cleanroom.web.port", Integer.toString(hostPort));
        }
        String signals = DockerCli.run(
                "events",
                "--since",
                since,
                "--until",
                daemonNow(),
                "--filter",
                "container=" + id,
                "--filter",
                "event=kill",
                "--format",
                "{{index .Actor.Attributes \"signal\"}}");

        // Assert: both aliases resolve; the stop asked with SIGTERM first and httpd ended before any SIGKILL
        assertThat(steps).extracting(StepResult::status).containsExactly(Status.PASSED, Status.PASSED);
        assertThat(signals.lines().toList()).startsWith("15");
    }

    @Test
    void healthRetriesFailTheStartAfterThatManyFailedChecksInARow() throws Exception {
        // Arrange
        Path file = write("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                health.command = ["sh", "-c", "echo not ready; exit 1"]
                health.retries = 3
                health.start_timeout = "60s"
                """);

        // Act + Assert: long before the 60 s timeout
        assertThatThrownBy(() -> engine.start(engine.load(file)))
                .hasMessageContaining(
                        "Service app (generic_container, " + BUSYBOX + ") failed 3 health checks in a row");
    }

    /** The daemon's clock, for docker events windows (this JVM's clock may differ a little). */
    private static String daemonNow() {
        return DockerCli.run("info", "--format", "{{.SystemTime}}").strip();
    }

    @Test
    void healthCheckThatNeverPassesTimesOutAndNothingRemains() throws Exception {
        // Arrange
        Path file = write("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                ports = ["8080"]
                health.http = "/"
                health.start_timeout = "1s"
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(engine.load(file)))
                .hasMessageContaining("Service app (generic_container, " + BUSYBOX
                        + ") did not become healthy within 1.0 s " + "(last check: GET http://127.0.0.1:");
    }

    @Test
    void hostPortAlreadyTakenFailsWithAFixAndNothingRemains() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Arrange
            Path file = write("""
                    [services.first]
                    type = "generic_container"
                    image = "BUSYBOX"

                    [services.app]
                    type = "generic_container"
                    image = "BUSYBOX"
                    ports = ["PORT:8080"]
                    """.replace("PORT", Integer.toString(taken.getLocalPort())));

            // Act + Assert
            assertThatThrownBy(() -> engine.start(engine.load(file)))
                    .hasMessageContaining("Service app (generic_container, " + BUSYBOX + ") could not start")
                    .hasMessageContaining("a host port is already in use")
                    .hasMessageContaining("Perhaps you should let Docker choose the host port");
        }
    }

    @Test
    void invalidTomlFailsBeforeAnyContainerStarts() throws Exception {
        // Arrange
        Path file = write("""
                [services.app]
                type = "generic_container"
                image = 5
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ":3:1: services.app.image: expected a string, found an integer 5");
        assertThat(DockerCli.leftoversOf(project)).isEmpty();
    }
}
