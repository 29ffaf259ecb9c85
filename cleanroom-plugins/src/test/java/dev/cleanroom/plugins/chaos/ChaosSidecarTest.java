package dev.cleanroom.plugins.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.ServiceHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sidecars chaos_engine asks for and the commands it runs in them, on a fake backend. */
class ChaosSidecarTest {

    private static final String TARGET_ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /** Records specs and exec argv; answers like a fresh network namespace would. */
    static class RecordingBackend implements ContainerBackend {
        final List<ContainerSpec> started = new ArrayList<>();
        final List<String> stopped = new ArrayList<>();
        final List<List<String>> execs = new ArrayList<>();

        @Override
        public ContainerInfo startContainer(ContainerSpec spec) {
            started.add(spec);
            return new ContainerInfo("sidecar" + started.size(), "chaos-" + started.size(), "127.0.0.1", Map.of());
        }

        @Override
        public void stopContainer(String containerId) {
            stopped.add(containerId);
        }

        @Override
        public boolean isRunning(String containerId) {
            return true;
        }

        @Override
        public ContainerState inspect(String containerId) {
            return new ContainerState(true, 0, false, "running", "");
        }

        @Override
        public ExecResult exec(String containerId, ExecRequest request) {
            execs.add(request.argv());
            String out = request.argv().get(0).equals("ip") ? "default via 172.18.0.1 dev eth0 \n" : "";
            return new ExecResult(0, out, "", Duration.ofMillis(1), false);
        }

        @Override
        public String logs(String containerId, int lines) {
            return "";
        }

        @Override
        public String hostAddress() {
            return "127.0.0.1";
        }

        @Override
        public Optional<ServiceHandle> service(String name) {
            return name.equals("api") ? Optional.of(ServiceHandle.builder("api", TARGET_ID, "127.0.0.1").build())
                    : Optional.empty();
        }
    }

    private static ServiceConfig config(Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.put("targets", List.of("api"));
        return ServiceConfig.of("chaos", ChaosEnginePlugin.TYPE, Path.of("none.clnrm.toml"), all);
    }

    private static ChaosSettings settings(Map<String, Object> values) {
        List<dev.cleanroom.engine.api.ConfigProblem> problems = new ArrayList<>();
        ChaosSettings settings = ChaosSettings.read(config(values), problems);
        assertThat(problems).isEmpty();
        return settings;
    }

    @Test
    void networkSidecarJoinsTheTargetsNetworkWithNetAdminOnly() {
        // Act
        ContainerSpec spec = ChaosEnginePlugin.sidecarSpec(settings(Map.of("chaos.network.packet_loss_percent", 30.0)),
                TARGET_ID);

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
        ContainerSpec spec = ChaosEnginePlugin.stressSpec(settings(Map.of("chaos.cpu.stress_percent", 50L,
                "stress_image", "cleanroom/stress-ng:fixture")), TARGET_ID, Duration.ofSeconds(30));

        // Assert
        assertThat(spec.cgroupParent()).contains("/docker/" + TARGET_ID);
        assertThat(spec.capAdd()).isEmpty();
        assertThat(spec.networkMode()).contains("none");
        assertThat(spec.image()).isEqualTo("cleanroom/stress-ng:fixture");
        assertThat(spec.entrypoint()).as("the image's own: stress-ng").isEmpty();
        assertThat(spec.command().orElseThrow()).containsExactly("--cpu", "1", "--cpu-load", "50", "--cpu-load-slice", "10",
                "--timeout", "30s");
    }

    @Test
    void networkSidecarOfAStressOnlyServiceHasNoCapabilityAndNoCgroupParent() {
        // Act
        ContainerSpec spec = ChaosEnginePlugin.sidecarSpec(settings(Map.of("chaos.cpu.stress_percent", 50L)), TARGET_ID);

        // Assert
        assertThat(spec.capAdd()).isEmpty();
        assertThat(spec.cgroupParent()).isEmpty();
    }

    @Test
    void lossIsAppliedInOwnChainAndRemovedOnStop() throws Exception {
        // Arrange
        ChaosEnginePlugin plugin = new ChaosEnginePlugin();
        RecordingBackend backend = new RecordingBackend();
        ServiceConfig config = config(Map.of("chaos.network.packet_loss_percent", 30.0));
        ServiceHandle handle = plugin.start(config, backend);

        // Act
        plugin.afterReady(handle, config, backend);
        List<List<String>> applied = List.copyOf(backend.execs);
        backend.execs.clear();
        plugin.stop(handle, backend);

        // Assert
        assertThat(applied).containsExactly(
                List.of("ip", "-o", "route", "show", "default"),
                List.of("iptables-save"),
                List.of("tc", "qdisc", "show", "dev", "eth0"),
                List.of("iptables", "-w", "5", "-N", "CLNRM_CHAOS"),
                List.of("iptables", "-w", "5", "-A", "CLNRM_CHAOS", "-m", "statistic", "--mode", "random",
                        "--probability", "0.30000", "-j", "DROP"),
                List.of("iptables", "-w", "5", "-I", "INPUT", "1", "!", "-i", "lo", "-j", "CLNRM_CHAOS"));
        assertThat(backend.execs).containsExactly(
                List.of("iptables", "-w", "5", "-D", "INPUT", "!", "-i", "lo", "-j", "CLNRM_CHAOS"),
                List.of("iptables", "-w", "5", "-F", "CLNRM_CHAOS"),
                List.of("iptables", "-w", "5", "-X", "CLNRM_CHAOS"),
                List.of("iptables-save"),
                List.of("iptables-save"),
                List.of("tc", "qdisc", "show", "dev", "eth0"));
        assertThat(backend.stopped).containsExactly("sidecar1");
        assertThat(ChaosEnginePlugin.session(handle.containerId())).isEmpty();
    }

    @Test
    void eachWindowStartsAStressorContainerAndItsEndRemovesIt() throws Exception {
        // Arrange
        ChaosEnginePlugin plugin = new ChaosEnginePlugin();
        RecordingBackend backend = new RecordingBackend();
        ServiceConfig config = config(Map.of("chaos.cpu.stress_percent", 50L, "chaos.memory.stress_mb", 64L,
                "chaos.duration", Duration.ofSeconds(10)));
        ServiceHandle handle = plugin.start(config, backend);

        // Act
        plugin.afterReady(handle, config, backend);
        List<ContainerSpec> startedInWindow = List.copyOf(backend.started.subList(1, backend.started.size()));
        plugin.stop(handle, backend);

        // Assert
        assertThat(startedInWindow).singleElement().satisfies(spec -> assertThat(spec.command().orElseThrow()).containsExactly(
                "--cpu", "1", "--cpu-load", "50", "--cpu-load-slice", "10", "--vm", "1", "--vm-bytes", "64M",
                "--vm-keep", "--vm-hang", "0", "--timeout", "15s"));
        assertThat(backend.execs).as("nothing runs in the network sidecar for stress").isEmpty();
        assertThat(backend.stopped).containsExactly("sidecar2", "sidecar1");
    }

    @Test
    void diskStressRewritesFilesOfTheConfiguredSizeWithDirectIoInTheSidecar() {
        // Act
        List<String> argv = ChaosCommands.stressArguments(settings(Map.of("chaos.disk.io_workers", 2L,
                "chaos.disk.file_mb", 16L)), Duration.ofSeconds(30));

        // Assert
        assertThat(argv).containsExactly("--hdd", "2", "--hdd-bytes", "16M", "--hdd-opts", "direct", "--timeout", "30s");
    }

    @Test
    void aStressorThatExitsAtOnceFailsTheWindowWithItsCommandAndLogs() throws Exception {
        // Arrange: a stand-in backend whose stressor container has exited by the time it is looked at
        ChaosEnginePlugin plugin = new ChaosEnginePlugin();
        RecordingBackend backend = new RecordingBackend() {
            @Override
            public boolean isRunning(String containerId) {
                return !containerId.equals("sidecar2");
            }

            @Override
            public String logs(String containerId, int lines) {
                return "stress-ng: fail: hdd: cannot create file: Invalid argument\n";
            }
        };
        ServiceConfig config = config(Map.of("chaos.disk.io_workers", 1L));
        ServiceHandle handle = plugin.start(config, backend);

        // Act
        Throwable thrown = catchThrowable(() -> plugin.afterReady(handle, config, backend));

        // Assert
        assertThat(thrown).isInstanceOf(CleanroomException.class).hasMessage("chaos on api: the stressor "
                + "(ghcr.io/alexei-led/stress-ng:0.20.01 --hdd 1 --hdd-bytes 64M --hdd-opts direct --timeout 86400s) "
                + "exited at once:\n    | stress-ng: fail: hdd: cannot create file: Invalid argument");
        // The sidecar goes with the failed service, which the engine removes.
        assertThat(backend.stopped).as("the stressor is removed").containsExactly("sidecar2");
    }

    @Test
    void servedPortsLeaveOutLoopbackDnsAndTheProxy() {
        // Act
        List<Integer> ports = ChaosCommands.servedPorts("LISTEN 0 9 *:8080 *:*\nLISTEN 0 4096 127.0.0.11:41931 0.0.0.0:*\n"
                + "LISTEN 0 100 0.0.0.0:39999 0.0.0.0:*\nLISTEN 0 5 [::]:5432 [::]:*\nLISTEN 0 5 127.0.0.1:6000 0.0.0.0:*\n");

        // Assert
        assertThat(ports).containsExactly(8080, 5432);
    }

    @Test
    void netemCarriesDelayJitterAndRateInOneQdisc() {
        // Act
        List<String> argv = ChaosCommands.addNetem("eth0", 100, 20, 1024);

        // Assert
        assertThat(argv).containsExactly("tc", "qdisc", "add", "dev", "eth0", "root", "netem", "delay", "100ms", "20ms",
                "rate", "1024kbit");
    }

    @Test
    void proxyRedirectsEachServedPortToTheProxyInOwnNatChain() {
        // Act
        List<List<String>> argv = ChaosCommands.addRedirect(List.of(8080));

        // Assert
        assertThat(argv).containsExactly(
                List.of("iptables", "-w", "5", "-t", "nat", "-N", "CLNRM_CHAOS_LAT"),
                List.of("iptables", "-w", "5", "-t", "nat", "-A", "CLNRM_CHAOS_LAT", "-p", "tcp", "--dport", "8080",
                        "-j", "REDIRECT", "--to-ports", "39999"),
                List.of("iptables", "-w", "5", "-t", "nat", "-I", "PREROUTING", "1", "-j", "CLNRM_CHAOS_LAT"));
    }

    @Test
    void filterTableIsFoundAmongOtherTables() {
        // Act
        String filter = ChaosCommands.filterTable("*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n" + ChaosCommands.EMPTY_FILTER_TABLE);

        // Assert
        assertThat(filter).isEqualTo(ChaosCommands.EMPTY_FILTER_TABLE);
        assertThat(ChaosCommands.filterTable("*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n")).isEmpty();
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
