package dev.cleanroom.plugins.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chaos_engine in whole runs on a fake daemon: what starts, in which order, and what a failed run leaves. */
class ChaosLifecycleTest {

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final RecordingLog log = new RecordingLog();
    /** Every argv run in a container, sidecars included. */
    private final List<List<String>> execs = Collections.synchronizedList(new ArrayList<>());

    private final CleanroomEngine engine = TestEngines.builder(
                    ChaosEngineConfigTest.factory().register(new ScriptedPlugin()),
                    runtime.onExec(argv -> {
                                execs.add(argv);
                                // A fresh network namespace: a default route on eth0, no rules, no qdisc.
                                String out = argv.get(0).equals("ip") ? "default via 172.18.0.1 dev eth0\n" : "";
                                return new ExecResult(0, out, "", Duration.ofMillis(1), false);
                            })
                            .factory())
            .log(log)
            .project("g:chaos")
            .build();

    private Path write(String toml) throws Exception {
        Path file = dir.resolve("chaos.clnrm.toml");
        Files.writeString(file, toml);
        return file;
    }

    @Test
    void twoChaosServicesWithoutTargetsStartAfterTheOtherServiceAndStopWithNothingLeft() throws Exception {
        // Arrange: neither names targets; each must wait for api only, never for the other
        Path file = write("""
                [services.api]
                type = "scripted"
                image = "api:1"

                [services.loss]
                type = "chaos_engine"
                chaos.network.packet_loss_percent = 10

                [services.slow]
                type = "chaos_engine"
                chaos.network.latency_ms = 100
                chaos.network.mode = "netem"
                """);

        // Act
        try (Environment environment = engine.start(engine.load(file))) {

            // Assert
            assertThat(environment.services())
                    .extracting(s -> s.name())
                    .containsExactlyInAnyOrder("api", "loss", "slow");
            assertThat(environment.service("loss").orElseThrow().handle().endpoints())
                    .containsEntry("targets", "api");
            assertThat(environment.service("slow").orElseThrow().handle().endpoints())
                    .containsEntry("targets", "api");
            List<String> starts = runtime.events().stream()
                    .filter(e -> e.startsWith("start "))
                    .toList();
            assertThat(starts).hasSize(3);
            assertThat(starts.get(0)).endsWith("-api");
            assertThat(log.text()).doesNotContain("cycle");
        }
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void aRunAbortedAfterTheChaosServiceStartedStopsItSoItsFaultsAreRecoveredAndItsSidecarRemoved() throws Exception {
        // Arrange: chaos disturbs api; web comes after chaos and cannot start
        runtime.failStartOf("web:1", "web:1 cannot start");
        Path file = write("""
                [services.api]
                type = "scripted"
                image = "api:1"

                [services.chaos]
                type = "chaos_engine"
                targets = ["api"]
                chaos.network.packet_loss_percent = 30

                [services.web]
                type = "scripted"
                image = "web:1"
                depends_on = ["chaos"]
                """);

        // Act
        Throwable thrown = catchThrowable(() -> engine.start(engine.load(file)));

        // Assert
        assertThat(thrown).isInstanceOf(ServiceStartException.class).hasMessageContaining("web");
        List<String> events = runtime.events();
        String sidecarStart = events.stream()
                .filter(e -> e.startsWith("start ") && e.endsWith("-chaos"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sidecar started: " + events));
        assertThat(events.indexOf(sidecarStart)).isLessThan(events.indexOf("start-failed web:1"));
        assertThat(events).contains("remove " + sidecarStart.substring("start ".length()));
        assertThat(execs)
                .as("the window opened, then stop recovered it")
                .containsSubsequence(
                        List.of("iptables", "-w", "5", "-I", "INPUT", "1", "!", "-i", "lo", "-j", "CLNRM_CHAOS"),
                        List.of("iptables", "-w", "5", "-D", "INPUT", "!", "-i", "lo", "-j", "CLNRM_CHAOS"));
        assertThat(log.text()).contains("window 1 closed, api recovered");
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }
}
