package dev.cleanroom.plugins.chaos;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StepResult.Status;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.plugins.DockerCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chaos_engine on a real Docker daemon: every effect is measured on the target (pings from a
 * peer container, the target's cgroup counters on the host), never read back from the config.
 * Traffic goes only between the run's own containers; every test is bounded in time.
 */
class ChaosEngineIT {

    static final String CHAOS_IMAGE = "cleanroom/chaos-tools:fixture";
    /** Stand-in for ghcr.io/alexei-led/stress-ng: Debian's stress-ng as the entrypoint. */
    static final String STRESS_IMAGE = "cleanroom/stress-ng:fixture";

    private static final Pattern PING = Pattern.compile("(\\d+) packets transmitted, (\\d+) packets received");
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    /** The iptables-save lines that switch a fault on; the sidecar adds each one last. */
    private static final String LOSS_JUMP = "-A INPUT ! -i lo -j CLNRM_CHAOS\n";

    private static final String LATENCY_JUMP = "-A PREROUTING -j CLNRM_CHAOS_LAT\n";

    /** api, a peer that pings it, and 30% packet loss on api. */
    private static final String LOSS_ON_API = """
            [services.api]
            type = "generic_container"
            image = "BUSYBOX"

            [services.peer]
            type = "generic_container"
            image = "BUSYBOX"

            [services.chaos]
            type = "chaos_engine"
            image = "CHAOS_IMAGE"
            targets = ["api"]
            chaos.network.packet_loss_percent = 30
            """;

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();
    private final RecordingLog log = new RecordingLog();
    private final CleanroomEngine engine = TestEngines.builderWithServices(ChaosEngineConfigTest.factory())
            .project(project)
            .log(log)
            .build();

    @AfterEach
    void nothingOfTheRunRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    private Path write(String toml) throws IOException {
        Path file = dir.resolve("chaos.clnrm.toml");
        Files.writeString(
                file,
                toml.replace("BUSYBOX", BUSYBOX)
                        .replace("CHAOS_IMAGE", CHAOS_IMAGE)
                        .replace("STRESS_IMAGE", STRESS_IMAGE));
        return file;
    }

    /** A build with reuse across builds, as {@code mvn verify -Dcleanroom.reuse=true} runs one. */
    private CleanroomEngine reusingBuild(RecordingLog buildLog) {
        return TestEngines.builderWithServices(ChaosEngineConfigTest.factory())
                .project(project)
                .projectDirectory(dir)
                .reuse(true, "-Dcleanroom.reuse")
                .log(buildLog)
                .build();
    }

    @Test
    void withReuseTheEndOfTheBuildRecoversAndRemovesTheChaosServiceAndKeepsItsTarget() throws Exception {
        // Arrange: the window is open when the build ends
        Path file = write(LOSS_ON_API);
        try {
            RecordingLog firstLog = new RecordingLog();
            CleanroomEngine first = reusingBuild(firstLog);
            Environment environment = first.start(first.load(file));
            String api = environment.service("api").orElseThrow().handle().containerId();
            String peer = environment.service("peer").orElseThrow().handle().containerId();
            String sidecar = environment.service("chaos").orElseThrow().handle().containerId();
            await(() -> networkState(sidecar).contains(LOSS_JUMP), 10_000);

            // Act
            environment.stop();

            // Assert: no rule of ours in api's network namespace, no loss, api and peer kept
            String rules = DockerCli.run(
                    "run",
                    "--rm",
                    "--network",
                    "container:" + api,
                    "--cap-add",
                    "NET_ADMIN",
                    "--entrypoint",
                    "iptables-save",
                    CHAOS_IMAGE);
            assertThat(rules).doesNotContain("CLNRM_CHAOS");
            assertThat(lossPercent(peer, 50)).isZero();
            assertThat(DockerCli.containersOf(project)).hasSize(2);
            assertThat(firstLog.text())
                    .contains("Removed service chaos: its type is never kept running for the next build");

            // Act: the next build adopts api and peer and starts the chaos service afresh
            RecordingLog secondLog = new RecordingLog();
            CleanroomEngine second = reusingBuild(secondLog);
            second.start(second.load(file)).stop();

            // Assert
            assertThat(secondLog.text())
                    .contains("Reused api (" + api.substring(0, 12))
                    .contains("Chaos chaos: window 1 opened on api")
                    .doesNotContain("Replacing reused service");
        } finally {
            reusingBuild(new RecordingLog()).removeReusedServices(false);
        }
    }

    @Test
    void faultsAKilledBuildLeftOnAKeptTargetAreRemovedByTheNextBuildsChaosService() throws Exception {
        // Arrange: a first build keeps api and peer; then api's namespace gets what a build killed
        // (kill -9) during a window leaves there: the loss chain and its jump, which no stop removed
        Path file = write(LOSS_ON_API);
        try {
            CleanroomEngine first = reusingBuild(new RecordingLog());
            Environment environment = first.start(first.load(file));
            String api = environment.service("api").orElseThrow().handle().containerId();
            String peer = environment.service("peer").orElseThrow().handle().containerId();
            environment.stop();
            for (List<String> rule : List.of(
                    List.of("-N", "CLNRM_CHAOS"),
                    List.of(
                            "-A",
                            "CLNRM_CHAOS",
                            "-m",
                            "statistic",
                            "--mode",
                            "random",
                            "--probability",
                            "0.3",
                            "-j",
                            "DROP"),
                    List.of("-I", "INPUT", "1", "!", "-i", "lo", "-j", "CLNRM_CHAOS"))) {
                List<String> argv = new java.util.ArrayList<>(List.of(
                        "run",
                        "--rm",
                        "--network",
                        "container:" + api,
                        "--cap-add",
                        "NET_ADMIN",
                        "--entrypoint",
                        "iptables",
                        CHAOS_IMAGE,
                        "-w",
                        "5"));
                argv.addAll(rule);
                DockerCli.run(argv.toArray(String[]::new));
            }

            // Act: the next build adopts api and runs its chaos window
            RecordingLog secondLog = new RecordingLog();
            CleanroomEngine second = reusingBuild(secondLog);
            second.start(second.load(file)).stop();

            // Assert: the leftovers were removed first, the window opened and closed, api is clean
            assertThat(secondLog.text())
                    .contains("Reused api (" + api.substring(0, 12))
                    .contains("Chaos chaos: removed the faults a killed build left on api (its loss chain) "
                            + "before the first window")
                    .contains("Chaos chaos: window 1 opened on api")
                    .contains("window 1 closed, api recovered");
            String rules = DockerCli.run(
                    "run",
                    "--rm",
                    "--network",
                    "container:" + api,
                    "--cap-add",
                    "NET_ADMIN",
                    "--entrypoint",
                    "iptables-save",
                    CHAOS_IMAGE);
            assertThat(rules).doesNotContain("CLNRM_CHAOS");
            assertThat(lossPercent(peer, 50)).isZero();
        } finally {
            reusingBuild(new RecordingLog()).removeReusedServices(false);
        }
    }

    @Test
    void packetLossIsRealDuringTheWindowAndGoneWithEveryRuleAfterIt() throws Exception {
        // Arrange
        Path file = write(LOSS_ON_API + """
                chaos.start_delay = "3s"
                chaos.duration = "9s"
                """);

        try (Environment env = engine.start(engine.load(file))) {
            String peer = env.service("peer").orElseThrow().handle().containerId();
            String sidecar = env.service("chaos").orElseThrow().handle().containerId();
            String before = networkState(sidecar);

            // Act
            // The chain exists a moment before INPUT jumps to it: wait for the jump, when loss begins.
            await(() -> networkState(sidecar).contains(LOSS_JUMP), 10_000);
            double during = lossPercent(peer, 200);
            await(() -> !networkState(sidecar).contains("CLNRM_CHAOS"), 15_000);
            double after = lossPercent(peer, 100);
            String afterState = networkState(sidecar);

            // Assert
            System.out.printf("chaos IT: loss during window %.1f%% (configured 30%%), after %.1f%%%n", during, after);
            assertThat(during)
                    .as("observed loss of 200 pings with 30%% configured")
                    .isBetween(17.0, 43.0);
            assertThat(after).isZero();
            assertThat(afterState).isEqualTo(before);
            assertThat(DockerCli.run(
                            "inspect",
                            "-f",
                            "{{.State.Running}}",
                            env.service("api").orElseThrow().handle().containerId()))
                    .isEqualTo("true");
        }
    }

    @Test
    void aRunAbortedAfterTheChaosServiceStartedLeavesNothingOfIt() throws Exception {
        // Arrange: chaos has opened its window on api when web, which comes after it, exits at once
        Path file = write("""
                [services.api]
                type = "generic_container"
                image = "BUSYBOX"

                [services.chaos]
                type = "chaos_engine"
                image = "CHAOS_IMAGE"
                targets = ["api"]
                chaos.network.packet_loss_percent = 30

                [services.web]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "exit 1"]
                depends_on = ["chaos"]
                # Never printed: web fails only once its exit is seen, which no health check can outrun.
                health.log = "never printed"
                """);

        // Act
        Throwable thrown = catchThrowable(() -> engine.start(engine.load(file)));

        // Assert
        assertThat(thrown).isInstanceOf(ServiceStartException.class).hasMessageContaining("web");
        assertThat(log.text())
                .as("chaos started and opened its window before web failed")
                .contains("window 1 opened on api");
        assertThat(log.text())
                .as("the engine stopped chaos, which recovered its window")
                .contains("window 1 closed");
        assertThat(DockerCli.run(
                        "ps",
                        "-aq",
                        "--filter",
                        "label=dev.cleanroom.project=" + project,
                        "--filter",
                        "ancestor=" + CHAOS_IMAGE))
                .as("sidecars left behind")
                .isBlank();
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks of the run left behind")
                .isEmpty();
        // In-memory state: the package has no static field to hold any (ChaosStatelessTest).
    }

    @Test
    void windowsRepeatOnTheIntervalAndEachOneIsRecovered() throws Exception {
        // Arrange
        Path file = write("""
                [services.api]
                type = "generic_container"
                image = "BUSYBOX"

                [services.chaos]
                type = "chaos_engine"
                image = "CHAOS_IMAGE"
                chaos.network.packet_loss_percent = 30
                chaos.start_delay = "1s"
                chaos.duration = "2s"
                chaos.interval = "5s"
                """);

        try (Environment env = engine.start(engine.load(file))) {
            String sidecar = env.service("chaos").orElseThrow().handle().containerId();
            String before = networkState(sidecar);

            // Act: two windows open and close
            await(() -> networkState(sidecar).contains(LOSS_JUMP), 10_000);
            await(() -> networkState(sidecar).equals(before), 10_000);
            await(() -> networkState(sidecar).contains(LOSS_JUMP), 10_000);
            await(() -> networkState(sidecar).equals(before), 10_000);

            // Assert
            assertThat(log.text())
                    .as("the chaos service's own count of its windows")
                    .contains("window 2 opened");
            assertThat(networkState(sidecar)).isEqualTo(before);
        }
    }

    @Test
    void bandwidthLimitSlowsDownloadsFromTheTargetOnlyDuringTheWindow() throws Exception {
        // Arrange: api serves 256 KiB; at 1024 kbit/s that takes at least 2 s.
        Path file = write("""
                [services.api]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "mkdir -p /www && dd if=/dev/zero of=/www/f bs=1024 count=256 && exec httpd -f -p 8080 -h /www"]
                health.command = ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/f"]

                [services.peer]
                type = "generic_container"
                image = "CHAOS_IMAGE"

                [services.chaos]
                type = "chaos_engine"
                image = "CHAOS_IMAGE"
                targets = ["api"]
                chaos.network.bandwidth_kbit = 1024
                chaos.duration = "8s"
                """);

        try (Environment env = engine.start(engine.load(file))) {
            String peer = env.service("peer").orElseThrow().handle().containerId();
            String sidecar = env.service("chaos").orElseThrow().handle().containerId();

            // Act
            await(() -> networkState(sidecar).contains("tbf"), 10_000);
            double during = millisInside(peer, "/f", 1)[0] / 1000;
            await(() -> !networkState(sidecar).contains("tbf"), 15_000);
            double after = millisInside(peer, "/f", 1)[0] / 1000;
            String afterState = networkState(sidecar);

            // Assert
            System.out.printf("chaos IT: 256 KiB download %.2fs at 1024 kbit/s, %.2fs after%n", during, after);
            // Timed inside the peer: the limit makes the download last about 2 s at least, which load
            // cannot shorten; without it the download takes milliseconds, far under the 1 s line.
            assertThat(during).isGreaterThan(1.6);
            assertThat(after).isLessThan(1.0);
            assertThat(afterState).doesNotContain("tbf").contains("qdisc noqueue 0: dev eth0 root");
        }
    }

    @Test
    void latencyIsAddedForTheTestJvmAndForAPeerAndGoneAfterTheWindow() throws Exception {
        // Arrange
        Path file = write("""
                [services.api]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "mkdir -p /www && echo hi > /www/i && exec httpd -f -p 8080 -h /www"]
                ports = ["8080"]
                health.tcp = 8080

                [services.peer]
                type = "generic_container"
                image = "CHAOS_IMAGE"

                [services.chaos]
                type = "chaos_engine"
                image = "CHAOS_IMAGE"
                targets = ["api"]
                chaos.network.latency_ms = 200
                chaos.start_delay = "2s"
                chaos.duration = "12s"
                """);

        try (Environment env = engine.start(engine.load(file))) {
            var api = env.service("api").orElseThrow().handle();
            String peer = env.service("peer").orElseThrow().handle().containerId();
            String sidecar = env.service("chaos").orElseThrow().handle().containerId();
            String before = networkState(sidecar);

            // Act
            // The chain exists a moment before PREROUTING jumps to it: wait for the jump, when the
            // redirect begins (waiting for the chain alone let all seven requests pass undelayed).
            await(() -> networkState(sidecar).contains(LATENCY_JUMP), 10_000);
            double jvmDuring = medianMillis(() -> httpGet(api.host(), api.hostPort(8080)));
            double peerDuring = medianMillisInside(peer);
            await(() -> !networkState(sidecar).contains("CLNRM_CHAOS_LAT"), 20_000);
            double jvmAfter = medianMillis(() -> httpGet(api.host(), api.hostPort(8080)));
            double peerAfter = medianMillisInside(peer);

            // Assert
            System.out.printf(
                    "chaos IT: latency 200ms (%s): JVM median %.0fms -> %.0fms after, peer (timed inside it)"
                            + " %.1fms -> %.1fms after%n",
                    env.service("chaos").orElseThrow().handle().endpoints().get("latency_mode"),
                    jvmDuring,
                    jvmAfter,
                    peerDuring,
                    peerAfter);
            assertThat(env.service("chaos").orElseThrow().handle().endpoints()).containsEntry("latency_mode", "proxy");
            // Load only lengthens a request, so the bounds sit where load cannot reach them: every
            // request through the proxy waits the full delay (a sleep, never shorter), so a median
            // during the window is at least 200 ms; one after it that went through the proxy could
            // not be under 200 ms either, while a direct one takes about 1 ms. The peer is timed inside
            // its container, so the cost of `docker exec` (70-130 ms, more under load) is not in it.
            assertThat(jvmDuring).isGreaterThanOrEqualTo(200);
            assertThat(jvmAfter).isLessThan(200);
            assertThat(peerDuring).isGreaterThanOrEqualTo(200);
            assertThat(peerAfter).isLessThan(200);
            assertThat(networkState(sidecar)).isEqualTo(before);
            assertThat(DockerCli.run("exec", sidecar, "ps", "-eo", "stat=,comm=")
                            .lines()
                            .map(String::trim)
                            .filter(l -> l.contains("python3") && !l.startsWith("Z")))
                    .as("live proxy processes")
                    .isEmpty();
        }
    }

    @Test
    void seedLatencyExampleRunsWithAStepThatTimesARequest() throws Exception {
        // Arrange: the seed's step ran curl on localhost inside api, which no network fault can reach;
        // here a peer calls api by name, as another service would.
        Path file = write("""
                [services.api]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "mkdir -p /www && echo hi > /www/api && exec httpd -f -p 8080 -h /www"]
                health.tcp = 8080

                [services.peer]
                type = "generic_container"
                image = "BUSYBOX"

                [services.chaos]
                type = "chaos_engine"
                image = "CHAOS_IMAGE"
                targets = ["api"]
                chaos.network.latency_ms = 200

                [[steps]]
                name = "test_with_latency"
                service = "peer"
                command = ["sh", "-c", "{ time wget -q -O /dev/null http://api:8080/api ; } 2>&1"]
                # Should take >200ms due to injected latency
                expected_output_regex = 'real\\s+0m ([1-9]\\.[0-9]+|0\\.([2-9][0-9]))s'
                """);

        // Act
        RunReport report = engine.run(engine.load(file));

        // Assert
        assertThat(report.steps())
                .singleElement()
                .satisfies(s -> assertThat(s.status()).as(s.stdout()).isEqualTo(Status.PASSED));
    }

    /** One HTTP/1.0 request on a new connection; returns the body and headers. */
    private static String httpGet(String host, int port) {
        try (java.net.Socket socket = new java.net.Socket(host, port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write("GET /i HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response =
                    new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(response).contains("hi");
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The median of seven requests for /i, timed inside the peer (see {@link #millisInside}). */
    private static double medianMillisInside(String peer) {
        double[] times = millisInside(peer, "/i", 7);
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }

    /**
     * COUNT requests for PATH from the peer to api by name, each timed inside the peer (python3's
     * monotonic clock, from connect to the last byte), so neither `docker exec` (70-130 ms here,
     * more under load) nor the JVM's scheduling is in the figures; the name is resolved once,
     * before any clock starts. Returns milliseconds.
     */
    private static double[] millisInside(String peer, String path, int count) {
        String out = DockerCli.run("exec", peer, "python3", "-c", TIMED_REQUESTS, path, Integer.toString(count));
        double[] times = out.lines().mapToDouble(Double::parseDouble).toArray();
        assertThat(times).as(out).hasSize(count);
        return times;
    }

    private static final String TIMED_REQUESTS = """
            import socket, sys, time
            path, count = sys.argv[1], int(sys.argv[2])
            address = (socket.gethostbyname("api"), 8080)
            for _ in range(count):
                begin = time.monotonic()
                with socket.create_connection(address, timeout=10) as s:
                    s.sendall(b"GET " + path.encode() + b" HTTP/1.0\\r\\n\\r\\n")
                    response = b""
                    while chunk := s.recv(65536):
                        response += chunk
                assert b" 200 " in response.split(b"\\r\\n", 1)[0], response[:200]
                print(round((time.monotonic() - begin) * 1000, 1))
            """;

    private static double medianMillis(Runnable request) {
        double[] times = new double[7];
        for (int i = 0; i < times.length; i++) {
            long begin = System.nanoTime();
            request.run();
            times[i] = (System.nanoTime() - begin) / 1e6;
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }

    @Test
    void cpuAndMemoryStressLoadTheTargetsOwnCgroupOnlyDuringTheWindow() throws Exception {
        // Arrange
        Path file = write("""
                [services.api]
                type = "generic_container"
                image = "BUSYBOX"

                [services.chaos]
                type = "chaos_engine"
                image = "CHAOS_IMAGE"
                stress_image = "STRESS_IMAGE"
                chaos.cpu.stress_percent = 50
                chaos.memory.stress_mb = 96
                chaos.duration = "6s"
                """);

        try (Environment env = engine.start(engine.load(file))) {
            String api = env.service("api").orElseThrow().handle().containerId();

            // Act: wait (bounded) for the load to show rather than sleep a fixed time: on a loaded
            // machine the stressor may start late or get less than its 50% of a core.
            // The figure asserted is the sample that ended the wait: a second one could fall lower.
            double[] cpu = new double[1];
            await(() -> (cpu[0] = cpuCores(api)) >= 0.05 && memoryBytes(api) > 90L << 20, 15_000);
            double cpuDuring = cpu[0];
            long memoryDuring = memoryBytes(api);
            int stressorsDuring = stressors().size();
            await(() -> cpuCores(api) < 0.05, 15_000);
            double cpuAfter = cpuCores(api);
            long memoryAfter = memoryBytes(api);

            // Assert
            System.out.printf(
                    "chaos IT: cpu %.2f cores / memory %d MiB during, %.3f cores / %d MiB after%n",
                    cpuDuring, memoryDuring >> 20, cpuAfter, memoryAfter >> 20);
            // The load lands in the target's cgroup (the idle one uses 0.000 cores) and is one
            // worker's at most; exactly 50% is stress-ng's own regulation, and a fair share of a
            // loaded 2-core machine can be far less (0.14 was measured here), so the lower line is
            // the idle line the window's end is held to.
            assertThat(cpuDuring)
                    .as("CPU of the target's cgroup with one worker at 50%")
                    .isBetween(0.05, 0.8);
            assertThat(memoryDuring)
                    .as("memory of the target's cgroup with 96 MiB held")
                    .isGreaterThan(90L << 20);
            assertThat(cpuAfter).isLessThan(0.05);
            assertThat(memoryAfter).isLessThan(32L << 20);
            assertThat(stressorsDuring)
                    .as("one stressor container in the window")
                    .isEqualTo(1);
            assertThat(stressors()).as("stressor containers after the window").isEmpty();
        }
    }

    @Test
    void diskStressWritesThroughTheTargetsOwnBlkioCgroupOnlyDuringTheWindow() throws Exception {
        // Arrange
        Path file = write("""
                [services.api]
                type = "generic_container"
                image = "BUSYBOX"

                [services.chaos]
                type = "chaos_engine"
                image = "CHAOS_IMAGE"
                stress_image = "STRESS_IMAGE"
                chaos.disk.io_workers = 1
                chaos.disk.file_mb = 16
                chaos.duration = "5s"
                """);

        try (Environment env = engine.start(engine.load(file))) {
            String api = env.service("api").orElseThrow().handle().containerId();
            enableBlkioAccounting(api);

            // Act
            long during = bytesWrittenPerSecond(api);
            int stressorsDuring = stressors().size();
            await(() -> stressors().isEmpty(), 15_000);
            long after = bytesWrittenPerSecond(api);

            // Assert
            System.out.printf(
                    "chaos IT: disk writes of the target's cgroup %d MiB/s during, %d KiB/s after%n",
                    during >> 20, after >> 10);
            assertThat(stressorsDuring).isEqualTo(1);
            assertThat(during)
                    .as("one worker rewriting a 16 MiB file with O_DIRECT")
                    .isGreaterThan(16L << 20);
            assertThat(after).isLessThan(1L << 20);
        }
    }

    /** The run's stressor containers, running or not: one per target during a window, none after. */
    private List<String> stressors() {
        String ids = DockerCli.run(
                "ps",
                "-aq",
                "--filter",
                "label=dev.cleanroom.project=" + project,
                "--filter",
                "ancestor=" + STRESS_IMAGE);
        return ids.isBlank() ? List.of() : List.of(ids.split("\n"));
    }

    /**
     * Kernel 6.x counts blk-throttle I/O only for cgroups that have a limit, so give the target a
     * limit no disk reaches (1 TB/s) on the device under Docker's storage. Test-only: the product
     * never changes the target's limits.
     */
    private static void enableBlkioAccounting(String containerId) throws IOException {
        long dev = (Long) Files.getAttribute(Path.of(DockerCli.run("info", "-f", "{{.DockerRootDir}}")), "unix:dev");
        long major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >> 12) & ~0xffL);
        Files.writeString(
                CGROUP.resolve("blkio/docker/" + containerId + "/blkio.throttle.write_bps_device"),
                major + ":" + minor + " 1000000000000");
    }

    /** Growth of the "Write" bytes of the target's cgroup and its children (the sidecar) over one second. */
    private static long bytesWrittenPerSecond(String containerId) throws InterruptedException {
        Path counters = CGROUP.resolve("blkio/docker/" + containerId + "/blkio.throttle.io_service_bytes_recursive");
        long first = writeBytes(counters);
        Thread.sleep(1_000);
        return writeBytes(counters) - first;
    }

    private static long writeBytes(Path counters) {
        try {
            return Files.readAllLines(counters).stream()
                    .map(l -> l.split(" "))
                    .filter(w -> w.length == 3)
                    .filter(w -> w[1].equals("Write"))
                    .mapToLong(w -> Long.parseLong(w[2]))
                    .sum();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void seedLossExampleRunsWithAStepThatMeasuresTheLoss() throws Exception {
        // Arrange
        Path file = write("""
                [services.api]
                type = "generic_container"
                image = "BUSYBOX"

                [services.peer]
                type = "generic_container"
                image = "BUSYBOX"

                [services.chaos]
                type = "chaos_engine"
                image = "CHAOS_IMAGE"
                targets = ["api"]
                chaos.network.packet_loss_percent = 25

                [[steps]]
                name = "test_resilience"
                service = "peer"
                command = ["ping", "-c", "100", "-i", "0.02", "-W", "1", "api"]
                expected_output_regex = "packets received, ([1-3][0-9])% packet loss"
                """);

        // Act
        RunReport report = engine.run(engine.load(file));

        // Assert
        assertThat(report.steps())
                .singleElement()
                .satisfies(s -> assertThat(s.status()).as(s.stdout()).isEqualTo(Status.PASSED));
    }

    @Test
    void seedPluginExampleRunsWithStepsThatMeasureLossAndMemory() throws Exception {
        // Arrange: the seed's [services.chaos] as written, aimed (by default) at every other service.
        Path file = write("""
                [services.api]
                type = "generic_container"
                image = "BUSYBOX"

                [services.peer]
                type = "generic_container"
                image = "BUSYBOX"

                [services.chaos]
                type = "chaos_engine"
                image = "CHAOS_IMAGE"
                stress_image = "STRESS_IMAGE"
                chaos.network.packet_loss_percent = 10
                chaos.cpu.stress_percent = 50
                chaos.memory.stress_mb = 512

                [[steps]]
                name = "memory_held_in_api_cgroup"
                service = "api"
                # Polls (at most 30 s) rather than reading once after a fixed sleep: under load the
                # stressor takes longer to touch its 512 MB (415 MB after 2 s was seen here).
                command = ["sh", "-c", "for i in $(seq 30); do u=$(cat /sys/fs/cgroup/memory/memory.usage_in_bytes); [ $u -ge 500000000 ] && break; sleep 1; done; echo $u"]
                expected_output_regex = '^([5-9][0-9]{8}|[0-9]{10,})\\s*$'  # at least 500 MB

                [[steps]]
                name = "packets_lost_between_peer_and_api"
                service = "peer"
                command = ["ping", "-c", "100", "-i", "0.02", "-W", "1", "api"]
                expected_output_regex = "packets received, ([1-9]|[1-3][0-9])% packet loss"
                """);

        // Act
        RunReport report = engine.run(engine.load(file));

        // Assert
        assertThat(report.steps())
                .hasSize(2)
                .allSatisfy(s ->
                        assertThat(s.status()).as(s.name() + ": " + s.stdout()).isEqualTo(Status.PASSED));
    }

    private static String networkState(String sidecar) {
        return DockerCli.run("exec", sidecar, "iptables-save")
                        .replaceAll("(?m)^#.*\n?", "")
                        .replaceAll("\\[\\d+:\\d+\\]", "[0:0]")
                + "\n"
                + DockerCli.run("exec", sidecar, "tc", "qdisc", "show");
    }

    private static double lossPercent(String peer, int count) {
        String out = DockerCli.run("exec", peer, "ping", "-c", Integer.toString(count), "-i", "0.02", "-W", "1", "api");
        Matcher m = PING.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        int sent = Integer.parseInt(m.group(1));
        int received = Integer.parseInt(m.group(2));
        return 100.0 * (sent - received) / sent;
    }

    /** CPU used by the container's cgroup over one second, in cores (cgroup v1, cgroupfs). */
    private static double cpuCores(String containerId) {
        try {
            Path usage = CGROUP.resolve("cpuacct/docker/" + containerId + "/cpuacct.usage");
            // The clock is read before the first counter and after the second, so a pause of this
            // thread widens the time, never the usage: load can lower the figure, never raise it.
            long begin = System.nanoTime();
            long first = Long.parseLong(Files.readString(usage).trim());
            Thread.sleep(1_000);
            long second = Long.parseLong(Files.readString(usage).trim());
            return (double) (second - first) / (System.nanoTime() - begin);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long memoryBytes(String containerId) {
        try {
            return Long.parseLong(
                    Files.readString(CGROUP.resolve("memory/docker/" + containerId + "/memory.usage_in_bytes"))
                            .trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis())
                    .as("condition not met in time")
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
