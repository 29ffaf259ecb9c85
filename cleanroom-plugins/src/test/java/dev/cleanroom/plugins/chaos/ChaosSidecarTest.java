package dev.cleanroom.plugins.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.testing.PluginDefinitions;
import dev.cleanroom.engine.testing.StubBackend;
import dev.cleanroom.engine.testing.StubServiceContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The sidecars chaos_engine asks for and the commands it runs in them, on a fake backend. */
class ChaosSidecarTest {

    private static final String TARGET_ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /**
     * A backend whose execs are answered as in a fresh network namespace. Its containers are c1,
     * c2, ... in start order: the network sidecar first, then each window's stressor.
     */
    static StubBackend backend() {
        return new StubBackend().onExec(ChaosSidecarTest::freshNamespace);
    }

    /** What a fresh network namespace answers: a default route, and nothing else set up. */
    static ExecResult freshNamespace(List<String> argv) {
        return StubBackend.output(argv.get(0).equals("ip") ? "default via 172.18.0.1 dev eth0 \n" : "");
    }

    /** The run as the engine offers it to the chaos service: api is ready, the log is kept. */
    static StubServiceContext context(StubBackend backend) {
        return new StubServiceContext("chaos", backend)
                .withReadyService(
                        ServiceHandle.builder("api", TARGET_ID, "127.0.0.1").build());
    }

    static ChaosSettings settings(Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.put("targets", List.of("api"));
        return (ChaosSettings) PluginDefinitions.define(new ChaosEnginePlugin(), "chaos", all, Set.of("api", "chaos"));
    }

    @Test
    void networkSidecarJoinsTheTargetsNetworkWithNetAdminOnly() {
        // Act
        ContainerSpec spec =
                ChaosEnginePlugin.sidecarSpec(settings(Map.of("chaos.network.packet_loss_percent", 30.0)), TARGET_ID);

        // Assert
        assertThat(spec.networkMode()).contains("container:" + TARGET_ID);
        assertThat(spec.capAdd()).containsExactly("NET_ADMIN");
        assertThat(spec.cgroupParent()).isEmpty();
        assertThat(spec.image()).isEqualTo("nicolaka/netshoot:v0.13");
        assertThat(spec.ports()).isEmpty();
        assertThat(spec.volumes()).isEmpty();
    }

    @Test
    void stressorSitsInTheTargetsCgroupWithoutNetworkOrAnyCapability() {
        // Act
        ContainerSpec spec = ChaosEnginePlugin.stressSpec(
                settings(Map.of("chaos.cpu.stress_percent", 50L, "stress_image", "cleanroom/stress-ng:fixture")),
                TARGET_ID,
                Duration.ofSeconds(30));

        // Assert
        assertThat(spec.cgroupParent()).contains("/docker/" + TARGET_ID);
        assertThat(spec.capAdd()).isEmpty();
        assertThat(spec.networkMode()).contains("none");
        assertThat(spec.image()).isEqualTo("cleanroom/stress-ng:fixture");
        assertThat(spec.entrypoint()).as("the image's own: stress-ng").isEmpty();
        assertThat(spec.command().orElseThrow())
                .containsExactly("--cpu", "1", "--cpu-load", "50", "--cpu-load-slice", "10", "--timeout", "30s");
    }

    @Test
    void networkSidecarOfAStressOnlyServiceHasNoCapabilityAndNoCgroupParent() {
        // Act
        ContainerSpec spec =
                ChaosEnginePlugin.sidecarSpec(settings(Map.of("chaos.cpu.stress_percent", 50L)), TARGET_ID);

        // Assert
        assertThat(spec.capAdd()).isEmpty();
        assertThat(spec.cgroupParent()).isEmpty();
    }

    @Test
    void lossIsAppliedInOwnChainAndRemovedOnStop() throws Exception {
        // Arrange
        StubBackend backend = backend();
        Service service =
                settings(Map.of("chaos.network.packet_loss_percent", 30.0)).create(context(backend));
        service.start();

        // Act
        service.afterReady();
        List<List<String>> applied = backend.execs();
        service.stop();
        List<List<String>> recovered =
                backend.execs().subList(applied.size(), backend.execs().size());

        // Assert
        assertThat(applied)
                .containsExactly(
                        List.of("ip", "-o", "route", "show", "default"),
                        List.of("iptables-save"),
                        List.of("tc", "qdisc", "show", "dev", "eth0"),
                        List.of("iptables", "-w", "5", "-N", "CLNRM_CHAOS"),
                        List.of(
                                "iptables",
                                "-w",
                                "5",
                                "-A",
                                "CLNRM_CHAOS",
                                "-m",
                                "statistic",
                                "--mode",
                                "random",
                                "--probability",
                                "0.30000",
                                "-j",
                                "DROP"),
                        List.of("iptables", "-w", "5", "-I", "INPUT", "1", "!", "-i", "lo", "-j", "CLNRM_CHAOS"));
        assertThat(recovered)
                .containsExactly(
                        List.of("iptables", "-w", "5", "-D", "INPUT", "!", "-i", "lo", "-j", "CLNRM_CHAOS"),
                        List.of("iptables", "-w", "5", "-F", "CLNRM_CHAOS"),
                        List.of("iptables", "-w", "5", "-X", "CLNRM_CHAOS"),
                        List.of("iptables-save"),
                        List.of("iptables-save"),
                        List.of("tc", "qdisc", "show", "dev", "eth0"));
        assertThat(backend.stopped()).containsExactly("c1");
    }

    @Test
    void faultsAKilledBuildLeftOnAKeptTargetAreRemovedBeforeTheFirstWindow() throws Exception {
        // Arrange: a target kept for reuse still has the loss chain and a netem qdisc of a build
        // that was killed (kill -9: no stop recovered its window)
        AtomicBoolean cleared = new AtomicBoolean();
        StubBackend backend = new StubBackend().onExec(argv -> {
            if (argv.equals(List.of("iptables", "-w", "5", "-X", "CLNRM_CHAOS"))) {
                cleared.set(true);
            }
            String leftover = cleared.get()
                    ? ""
                    : switch (argv.get(0)) {
                        case "iptables-save" ->
                            "*filter\n:INPUT ACCEPT [0:0]\n:CLNRM_CHAOS - [0:0]\n"
                                    + "-A INPUT ! -i lo -j CLNRM_CHAOS\nCOMMIT\n";
                        case "tc" -> "qdisc netem 8001: dev eth0 root refcnt 2 limit 1000 delay 200ms\n";
                        default -> "";
                    };
            return leftover.isEmpty() ? freshNamespace(argv) : StubBackend.output(leftover);
        });
        StubServiceContext context = context(backend);
        Service service =
                settings(Map.of("chaos.network.packet_loss_percent", 30.0)).create(context);
        service.start();

        // Act
        service.afterReady();

        // Assert: removed, then the window's own chain is created as on a clean target
        assertThat(backend.execs())
                .containsSubsequence(
                        List.of("iptables", "-w", "5", "-D", "INPUT", "!", "-i", "lo", "-j", "CLNRM_CHAOS"),
                        List.of("iptables", "-w", "5", "-X", "CLNRM_CHAOS"),
                        List.of("tc", "qdisc", "del", "dev", "eth0", "root"),
                        List.of("iptables", "-w", "5", "-N", "CLNRM_CHAOS"));
        assertThat(context.log().lines())
                .contains("WARN Chaos chaos: removed the faults a killed build left on api (its loss chain, "
                        + "its netem/tbf qdisc) before the first window");
        service.stop();
    }

    @Test
    void eachWindowStartsAStressorContainerAndItsEndRemovesIt() throws Exception {
        // Arrange
        StubBackend backend = backend();
        Service service = settings(Map.of(
                        "chaos.cpu.stress_percent",
                        50L,
                        "chaos.memory.stress_mb",
                        64L,
                        "chaos.duration",
                        Duration.ofSeconds(10)))
                .create(context(backend));
        service.start();

        // Act
        service.afterReady();
        List<ContainerSpec> startedInWindow =
                List.copyOf(backend.started().subList(1, backend.started().size()));
        service.stop();

        // Assert
        assertThat(startedInWindow)
                .singleElement()
                .satisfies(spec -> assertThat(spec.command().orElseThrow())
                        .containsExactly(
                                "--cpu",
                                "1",
                                "--cpu-load",
                                "50",
                                "--cpu-load-slice",
                                "10",
                                "--vm",
                                "1",
                                "--vm-bytes",
                                "64M",
                                "--vm-keep",
                                "--vm-hang",
                                "0",
                                "--timeout",
                                "15s"));
        assertThat(backend.execs())
                .as("nothing runs in the network sidecar for stress")
                .isEmpty();
        assertThat(backend.stopped()).containsExactly("c2", "c1");
    }

    @Test
    void diskStressRewritesFilesOfTheConfiguredSizeWithDirectIoInTheSidecar() {
        // Act
        List<String> argv = ChaosCommands.stressArguments(
                settings(Map.of("chaos.disk.io_workers", 2L, "chaos.disk.file_mb", 16L)), Duration.ofSeconds(30));

        // Assert
        assertThat(argv)
                .containsExactly("--hdd", "2", "--hdd-bytes", "16M", "--hdd-opts", "direct", "--timeout", "30s");
    }

    @Test
    void aStressorThatExitsAtOnceFailsTheWindowWithItsCommandAndLogs() throws Exception {
        // Arrange: a stand-in backend whose stressor container has exited by the time it is looked at
        StubBackend backend =
                backend().exited("c2", 1).logs("c2", "stress-ng: fail: hdd: cannot create file: Invalid argument\n");
        Service service = settings(Map.of("chaos.disk.io_workers", 1L)).create(context(backend));
        service.start();

        // Act
        Throwable thrown = catchThrowable(service::afterReady);

        // Assert
        assertThat(thrown)
                .isInstanceOf(CleanroomException.class)
                .hasMessage("chaos on api: the stressor "
                        + "(ghcr.io/alexei-led/stress-ng:0.20.01 --hdd 1 --hdd-bytes 64M --hdd-opts direct --timeout 86400s) "
                        + "exited at once:\n    | stress-ng: fail: hdd: cannot create file: Invalid argument");
        assertThat(backend.stopped()).as("the stressor is removed").containsExactly("c2");
        // The engine stops a service whose start failed: that removes the sidecar.
        service.stop();
        assertThat(backend.stopped()).containsExactly("c2", "c1");
    }

    @Test
    void aDaemonThatCannotPlaceTheStressorInTheTargetsCgroupIsToldAsTheCgroupDriver() throws Exception {
        // Arrange: the Docker client's reason for a cgroup parent refused under the systemd driver
        StubBackend backend = backend().onStart((spec, planned) -> {
            if (spec.cgroupParent().isPresent()) {
                throw new CleanroomException(
                        CleanroomException.Reason.UNSUPPORTED,
                        "cgroup-parent for systemd " + "cgroup should be a valid slice named as \"xxx.slice\"");
            }
            return planned;
        });
        Service service = settings(Map.of("chaos.cpu.stress_percent", 50L)).create(context(backend));
        service.start();

        // Act
        Throwable thrown = catchThrowable(service::afterReady);

        // Assert
        assertThat(thrown)
                .isInstanceOf(CleanroomException.class)
                .hasMessageStartingWith("chaos on api: CPU, memory "
                        + "and disk stress run in the target's cgroup, which needs Docker's cgroupfs cgroup driver");
        assertThat(((CleanroomException) thrown).reason()).isEqualTo(CleanroomException.Reason.UNSUPPORTED);
    }

    @Test
    void aStressorFailureForAnotherReasonIsPassedOnAsItIsEvenWhenItsTextSaysSystemd() throws Exception {
        // Arrange: the decision is the reason's, never the message's
        StubBackend backend = backend().onStart((spec, planned) -> {
            if (spec.cgroupParent().isPresent()) {
                throw new CleanroomException(
                        CleanroomException.Reason.IMAGE_MISSING, "image cleanroom/systemd-stress:1 not found");
            }
            return planned;
        });
        Service service = settings(Map.of("chaos.cpu.stress_percent", 50L)).create(context(backend));
        service.start();

        // Act
        Throwable thrown = catchThrowable(service::afterReady);

        // Assert
        assertThat(thrown)
                .isInstanceOf(CleanroomException.class)
                .hasMessage("image cleanroom/systemd-stress:1 not found");
    }

    @Test
    void stopAfterAStartThatFailedHalfwayRemovesTheSidecarsThatStarted() throws Exception {
        // Arrange: two targets; the second one's sidecar cannot start
        StubBackend backend = backend().onStart((spec, planned) -> {
            if (spec.networkMode().orElse("").equals("container:db-id")) {
                throw new CleanroomException("no such container: db-id");
            }
            return planned;
        });
        StubServiceContext context = context(backend)
                .withReadyService(
                        ServiceHandle.builder("db", "db-id", "127.0.0.1").build());
        Map<String, Object> values = Map.of("targets", List.of("api", "db"), "chaos.network.latency_ms", 100L);
        Service service = PluginDefinitions.define(
                        new ChaosEnginePlugin(), "chaos", values, Set.of("api", "db", "chaos"))
                .create(context);
        Throwable failedStart = catchThrowable(service::start);

        // Act
        service.stop();

        // Assert
        assertThat(failedStart).hasMessage("no such container: db-id");
        assertThat(backend.stopped()).containsExactly("c1");
        assertThat(backend.execs())
                .as("no fault was applied, so none is recovered")
                .isEmpty();
    }

    @Test
    void stopOfAServiceThatNeverStartedDoesNothing() throws Exception {
        // Arrange
        StubBackend backend = backend();
        Service service = settings(Map.of("chaos.network.latency_ms", 100L)).create(context(backend));

        // Act
        service.stop();

        // Assert
        assertThat(backend.stopped()).isEmpty();
        assertThat(backend.execs()).isEmpty();
    }

    @Test
    void servedPortsLeaveOutLoopbackDnsAndTheProxy() {
        // Act
        List<Integer> ports = ChaosCommands.servedPorts(
                "LISTEN 0 9 *:8080 *:*\nLISTEN 0 4096 127.0.0.11:41931 0.0.0.0:*\n"
                        + "LISTEN 0 100 0.0.0.0:39999 0.0.0.0:*\nLISTEN 0 5 [::]:5432 [::]:*\nLISTEN 0 5 127.0.0.1:6000 0.0.0.0:*\n");

        // Assert
        assertThat(ports).containsExactly(8080, 5432);
    }

    @Test
    void netemCarriesDelayJitterAndRateInOneQdisc() {
        // Act
        List<String> argv = ChaosCommands.addNetem("eth0", 100, 20, 1024);

        // Assert
        assertThat(argv)
                .containsExactly(
                        "tc",
                        "qdisc",
                        "add",
                        "dev",
                        "eth0",
                        "root",
                        "netem",
                        "delay",
                        "100ms",
                        "20ms",
                        "rate",
                        "1024kbit");
    }

    @Test
    void proxyRedirectsEachServedPortToTheProxyInOwnNatChain() {
        // Act
        List<List<String>> argv = ChaosCommands.addRedirect(List.of(8080));

        // Assert
        assertThat(argv)
                .containsExactly(
                        List.of("iptables", "-w", "5", "-t", "nat", "-N", "CLNRM_CHAOS_LAT"),
                        List.of(
                                "iptables",
                                "-w",
                                "5",
                                "-t",
                                "nat",
                                "-A",
                                "CLNRM_CHAOS_LAT",
                                "-p",
                                "tcp",
                                "--dport",
                                "8080",
                                "-j",
                                "REDIRECT",
                                "--to-ports",
                                "39999"),
                        List.of("iptables", "-w", "5", "-t", "nat", "-I", "PREROUTING", "1", "-j", "CLNRM_CHAOS_LAT"));
    }

    @Test
    void filterTableIsFoundAmongOtherTables() {
        // Act
        String filter =
                ChaosCommands.filterTable("*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n" + ChaosCommands.EMPTY_FILTER_TABLE);

        // Assert
        assertThat(filter).isEqualTo(ChaosCommands.EMPTY_FILTER_TABLE);
        assertThat(ChaosCommands.filterTable("*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"))
                .isEmpty();
    }

    @Test
    void iptablesStateIgnoresCommentsAndCounters() {
        // Act
        String normalized = ChaosCommands.normalizeIptables("# Generated by iptables-nft-save v1.8.9 on Mon\n*filter\n"
                + ":INPUT ACCEPT [12:345]\nCOMMIT\n# Completed on Mon\n");

        // Assert
        assertThat(normalized).isEqualTo("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n");
    }
}
